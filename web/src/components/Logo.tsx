/** The Switchboard mark: two speech bubbles on a switch. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="9" fill="var(--accent)" />
      <path d="M8 10.5A2.5 2.5 0 0 1 10.5 8h8A2.5 2.5 0 0 1 21 10.5v5a2.5 2.5 0 0 1-2.5 2.5H13l-3.5 3v-3.2A2.5 2.5 0 0 1 8 15.5z" fill="#fff" />
      <path d="M23 13.5h.5A2.5 2.5 0 0 1 26 16v5a2.5 2.5 0 0 1-1.5 2.3V26l-3-2.5H17a2.5 2.5 0 0 1-2.4-1.8" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinejoin="round" opacity=".75" />
    </svg>
  );
}
