import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';

/**
 * How fast people on the team answer customers: for every staff message of the last `days` days,
 * the wait it ended, from the customer's first message after the previous reply (the assistant's or
 * a person's), or from the assistant's handoff message when the customer wrote nothing after it.
 * Returns the median wait in seconds and how many replies it is over. One query.
 */
export async function staffResponseTimes(db: Db, days: number): Promise<{ medianSeconds: number | null; replies: number }> {
  const result = (await db.execute(sql`
    with recent as (
      select distinct conversation_id from messages
      where role = 'staff' and created_at >= now() - make_interval(days => ${days})
    ), ordered as (
      -- grp counts the replies (assistant or staff) so far: the customer messages after a reply share its grp
      select m.conversation_id, m.role, m.created_at,
        sum(case when m.role = 'user' then 0 else 1 end) over (partition by m.conversation_id order by m.created_at, m.id) as grp
      from messages m join recent r on r.conversation_id = m.conversation_id
      where m.role in ('user', 'assistant', 'staff')
    ), groups as (
      select conversation_id, grp,
        min(created_at) filter (where role = 'user') as first_user,
        min(created_at) filter (where role = 'assistant') as assistant_at
      from ordered group by conversation_id, grp
    ), waits as (
      select extract(epoch from s.created_at - coalesce(g.first_user, g.assistant_at)) as seconds
      from ordered s join groups g on g.conversation_id = s.conversation_id and g.grp = s.grp - 1
      where s.role = 'staff' and s.created_at >= now() - make_interval(days => ${days}) and coalesce(g.first_user, g.assistant_at) is not null
    )
    select percentile_cont(0.5) within group (order by seconds) as median, count(*) as replies from waits
  `)) as unknown as { rows: { median: number | string | null; replies: number | string }[] };
  const row = result.rows[0];
  return { medianSeconds: row?.median === null || row?.median === undefined ? null : Number(row.median), replies: Number(row?.replies ?? 0) };
}
