import type { Redis } from 'ioredis';
import { emitOn, replayOf, type EventBus, type Replay, type RetentionOptions, type SignalTopic, type Unsubscribe } from './bus.js';
import type { ConversationEvent, NumberedEvent } from '../contract/events.js';
import { messageOfRef, TokenCoalescer } from './token-coalescer.js';

// One script numbers a batch of events, keeps them in the conversation's stream under the explicit id
// `<n>-0` (so a resume is one XRANGE from `<last+1>-0`) and publishes them. Redis runs a script
// atomically, so ids are published in increasing order whichever process publishes.
//
// Ids stay increasing across a restart of the Redis server (issue 13 item 9). A restart without
// persistence loses the counter, and one that loads an older snapshot brings back a counter behind
// the ids clients have already seen; either way a client would drop every new event as one it has
// seen. So beside the counter the script keeps the run_id of the server life that last wrote it: the
// first publish in a new life (another run_id, or none) moves the counter up to the server's clock in
// microseconds, above every id an earlier life handed out (it would take more than one event per
// microsecond, sustained, to run ahead of the clock). Clients see the jump as a gap and reload.
// Lua numbers are doubles: ids (< 2^53 until the year 2255) are exact, and are formatted with %.0f
// because Lua's own number-to-string keeps only 14 digits.
//
// The stream keeps what a resume needs, not every token (issue 15): a message's token events stay
// while it streams, and its message.completed (which carries the text) deletes them. `drafts` maps a
// message to its first token's id, where that search starts. So ids missing from the stream are not
// by themselves a loss: `floor` is the newest id that was lost, trimmed by the MAXLEN cap (done here,
// so the script knows which) or below the jump of a new life; a client behind it has a gap.
// KEYS: counter, stream, life, drafts, floor. ARGV: channel, max events, stream ttl, counter ttl, then
// per event its kind ('-'; 't' .. message id for a token; 'c' .. message id for message.completed)
// and its payload (JSON without id).
// Returns the ids, then how many subscriber connections (API processes) the last PUBLISH reached.
const PUBLISH_SCRIPT = `
local run = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = nil
if redis.call('GET', KEYS[3]) ~= run then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  if now > n then n = now end
  floor = n
end
local ids = {}
local heard = 0
for i = 5, #ARGV, 2 do
  n = n + 1
  local id = string.format('%.0f', n)
  local kind = ARGV[i]
  local msg = '{"id":' .. id .. ',' .. string.sub(ARGV[i + 1], 2)
  redis.call('XADD', KEYS[2], id .. '-0', 'e', msg)
  heard = redis.call('PUBLISH', ARGV[1], msg)
  ids[#ids + 1] = id
  local tag = string.sub(kind, 1, 1)
  if tag == 't' then
    redis.call('HSETNX', KEYS[4], string.sub(kind, 2), id)
  elseif tag == 'c' then
    local m = string.sub(kind, 2)
    local first = redis.call('HGET', KEYS[4], m)
    if first then
      local whole, draft = '"message_ref":"' .. m .. '"', '"message_ref":"' .. m .. ':'
      for _, entry in ipairs(redis.call('XRANGE', KEYS[2], first .. '-0', '+')) do
        local e = entry[2][2]
        if string.find(e, '"type":"token"', 1, true) and (string.find(e, whole, 1, true) or string.find(e, draft, 1, true)) then
          redis.call('XDEL', KEYS[2], entry[1])
        end
      end
      redis.call('HDEL', KEYS[4], m)
    end
  end
end
local over = redis.call('XLEN', KEYS[2]) - tonumber(ARGV[2])
if over > 0 then
  local old = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', over)
  redis.call('XTRIM', KEYS[2], 'MAXLEN', ARGV[2])
  local trimmed = tonumber(string.match(old[#old][1], '^(%d+)'))
  if not floor or trimmed > floor then floor = trimmed end
end
if floor and floor > tonumber(redis.call('GET', KEYS[5]) or '0') then
  redis.call('SET', KEYS[5], string.format('%.0f', floor))
end
redis.call('SET', KEYS[1], string.format('%.0f', n), 'EX', ARGV[4])
redis.call('SET', KEYS[3], run, 'EX', ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[4], ARGV[3])
redis.call('EXPIRE', KEYS[5], ARGV[3])
ids[#ids + 1] = tostring(heard)
return ids
`;

/** The counter outlives the events so ids keep increasing after the events themselves expire. */
const COUNTER_TTL_SECONDS = 30 * 24 * 3600;
const MAX_BATCH = 200;
/** How many conversations' "does anyone listen" answers a process keeps. */
const MAX_HEARD = 10_000;
/** Connection states in which a command would only wait for a reconnect. */
const LOST = new Set(['reconnecting', 'close', 'end']);

/** What the publish script does besides keeping the event: a token joins its message's draft, a completion ends it. */
function kindOf(event: ConversationEvent): string {
  if (event.type === 'token') return `t${messageOfRef(event.message_ref)}`;
  if (event.type === 'message.completed') return `c${event.message.id}`;
  return '-';
}

interface Pending {
  event: ConversationEvent;
  resolve: (e: NumberedEvent) => void;
  reject: (err: unknown) => void;
}

type ScriptRedis = Redis & { sbRealtimePublish(...args: (string | number)[]): Promise<string[]> };

/**
 * The Redis event bus (REDIS_URL set): per-conversation counter and stream for numbering and
 * resume, pub/sub for fan-out to every API process. Publishes of one conversation are sent one
 * batch at a time, so this process's events keep their order; concurrent events are batched.
 */
export class RedisEventBus implements EventBus {
  private readonly redis: ScriptRedis;
  private readonly sub: Redis;
  private readonly outbox = new Map<string, { items: Pending[]; draining: Promise<void> | null }>();
  private readonly listeners = new Map<string, Set<(e: NumberedEvent) => void>>();
  /** Per channel: what to run when its subscription is live again after a reconnect. */
  private readonly resumers = new Map<string, Set<() => void>>();
  private readonly signalListeners = new Map<string, Set<(payload: string) => void>>();
  /**
   * Per conversation: whether the last publish reached any subscriber (an API process following it),
   * or a process said it started following it since. Unknown counts as yes.
   */
  private readonly heard = new Map<string, { on: boolean; notice: number }>();
  /** Counts the "started following" notices this process received. */
  private notices = 0;
  private readonly tokens = new TokenCoalescer(
    (e) => emitOn(this, e, this.onError),
    (c) => this.listening(c),
  );
  private closed = false;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly retention: RetentionOptions,
    private readonly onError: (err: unknown, what: string) => void = () => {},
  ) {
    redis.defineCommand('sbRealtimePublish', { numberOfKeys: 5, lua: PUBLISH_SCRIPT });
    this.redis = redis as ScriptRedis;
    // A connection in subscriber mode can run nothing else: it gets its own.
    this.sub = redis.duplicate({ connectionName: 'switchboard-realtime-sub' });
    this.sub.on('error', (err) => this.onError(err, 'subscriber connection'));
    this.sub.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    let connected = false;
    this.sub.on('ready', () => {
      this.resubscribe(connected);
      connected = true;
    });
  }

  emit(event: ConversationEvent): void {
    if (event.type === 'token') this.tokens.token(event);
    else emitOn(this, event, this.onError);
  }

  publish(event: ConversationEvent): Promise<NumberedEvent> {
    if (this.closed) return Promise.reject(new Error('event bus is closed'));
    this.tokens.before(event);
    return new Promise((resolve, reject) => {
      const id = event.conversation_id;
      let box = this.outbox.get(id);
      if (!box) {
        box = { items: [], draining: null };
        this.outbox.set(id, box);
      }
      box.items.push({ event, resolve, reject });
      box.draining ??= this.drain(id, box);
    });
  }

  async subscribe(conversationId: string, listener: (event: NumberedEvent) => void, onResume?: () => void): Promise<Unsubscribe> {
    const channel = this.channel(conversationId);
    let set = this.listeners.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    if (onResume) {
      let resumers = this.resumers.get(channel);
      if (!resumers) {
        resumers = new Set();
        this.resumers.set(channel, resumers);
      }
      resumers.add(onResume);
    }
    const unsubscribe = () => {
      const resumers = onResume ? this.resumers.get(channel) : undefined;
      if (resumers && onResume) {
        resumers.delete(onResume);
        if (resumers.size === 0) this.resumers.delete(channel);
      }
      if (!set.delete(listener) || set.size > 0) return;
      this.listeners.delete(channel);
      if (!this.closed) this.sub.unsubscribe(channel).catch((err: unknown) => this.onError(err, 'unsubscribe'));
    };
    if (first) {
      try {
        await this.sub.subscribe(channel);
      } catch (err) {
        // Not subscribed (the caller is told): the listener goes, so the next subscriber tries again.
        unsubscribe();
        throw err;
      }
      // Say so to every process: one streaming this conversation's turn, holding its tokens because
      // nobody listened, sends them now. Our own held text goes at once.
      this.tokens.wake(conversationId);
      this.redis.publish(this.hereChannel(), conversationId).catch((err: unknown) => this.onError(err, 'presence publish'));
    }
    return unsubscribe;
  }

  async replay(conversationId: string, afterId: number | null): Promise<Replay> {
    if (afterId === null) return replayOf([], null, Number((await this.redis.get(this.key(conversationId, 'seq'))) ?? 0));
    const after = Math.max(0, Math.floor(afterId));
    const result = await this.redis
      .multi()
      .get(this.key(conversationId, 'seq'))
      .xrange(this.key(conversationId, 'events'), `${after + 1}-0`, '+', 'COUNT', this.retention.maxEvents * 2)
      .get(this.key(conversationId, 'floor'))
      .exec();
    if (!result) throw new Error('replay transaction aborted');
    for (const [err] of result) if (err) throw err;
    const lastId = Number(result[0]![1] ?? 0);
    const entries = (result[1]![1] ?? []) as [string, string[]][];
    const events = entries.map(([, fields]) => JSON.parse(fields[1]!) as NumberedEvent);
    return replayOf(events, after, lastId, Number(result[2]![1] ?? 0));
  }

  async signal(topic: SignalTopic, payload = ''): Promise<void> {
    // The connection was lost (Redis down or restarting): fail at once rather than wait for the
    // reconnect attempts to give up; a signal has no one waiting to retry it. (While first
    // connecting, at start-up, the command waits for the connection as any other.)
    if (LOST.has(this.redis.status)) throw new Error(`redis is ${this.redis.status}`);
    await this.redis.publish(this.signalChannel(topic), payload);
  }

  onSignal(topic: SignalTopic, listener: (payload: string) => void): Unsubscribe {
    const channel = this.signalChannel(topic);
    let set = this.signalListeners.get(channel);
    if (!set) {
      set = new Set();
      this.signalListeners.set(channel, set);
      this.sub.subscribe(channel).catch((err: unknown) => this.onError(err, 'signal subscribe'));
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.tokens.stop();
    this.closed = true;
    await Promise.all([...this.outbox.values()].map((b) => b.draining));
    this.listeners.clear();
    this.resumers.clear();
    this.signalListeners.clear();
    await this.sub.quit().catch(() => this.sub.disconnect());
  }

  /**
   * The subscriber connection is (back) up. A SUBSCRIBE that never reached Redis is not retried by
   * ioredis: one queued while the connection was still being made is dropped once the connection
   * attempts exceed maxRetriesPerRequest (a slow first connect: a busy process at start-up), and
   * ioredis re-subscribes after a reconnect only the channels Redis had confirmed. So every channel
   * anyone listens on, and the presence channel, is subscribed again here (SUBSCRIBE is idempotent).
   * After a reconnect (a Redis restart, a network drop) what was published meanwhile never arrived:
   * once the channels are live again (our SUBSCRIBE is answered after ioredis's own), each follower
   * replays.
   */
  private resubscribe(reconnected: boolean): void {
    const channels = [...new Set([this.hereChannel(), ...this.signalListeners.keys(), ...this.listeners.keys()])];
    if (this.closed) return;
    setImmediate(() => {
      this.sub
        .subscribe(...channels)
        .then(() => {
          if (!reconnected) return;
          for (const channel of channels) for (const resume of [...(this.resumers.get(channel) ?? [])]) this.safely(resume);
        })
        .catch((err: unknown) => this.onError(err, 'resubscribe'));
    });
  }

  private async drain(conversationId: string, box: { items: Pending[]; draining: Promise<void> | null }): Promise<void> {
    // The first batch waits for the tick to end, so what a turn emits one step after another (its
    // customer's message.created, then typing on) is one script call rather than one each.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    while (box.items.length > 0) {
      const batch = box.items.splice(0, MAX_BATCH);
      const noticesBefore = this.notices;
      try {
        const ids = await this.redis.sbRealtimePublish(
          this.key(conversationId, 'seq'),
          this.key(conversationId, 'events'),
          this.key(conversationId, 'life'),
          this.key(conversationId, 'drafts'),
          this.key(conversationId, 'floor'),
          this.channel(conversationId),
          this.retention.maxEvents,
          this.retention.retentionSeconds,
          Math.max(COUNTER_TTL_SECONDS, this.retention.retentionSeconds),
          ...batch.flatMap((p) => [kindOf(p.event), JSON.stringify(p.event)]),
        );
        // A notice that came in while the script ran is newer than its "nobody": it wins.
        const reached = Number(ids.pop()) > 0;
        if (reached || (this.heard.get(conversationId)?.notice ?? 0) <= noticesBefore) this.setHeard(conversationId, reached);
        if (reached) this.tokens.wake(conversationId); // text held because nobody seemed to listen
        for (const [i, p] of batch.entries()) p.resolve({ ...p.event, id: Number(ids[i]) } as NumberedEvent);
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    box.draining = null;
    this.outbox.delete(conversationId);
  }

  /** Whether anyone follows the conversation: a socket of this process, or the last publish reached someone. */
  private listening(conversationId: string): boolean {
    return this.listeners.has(this.channel(conversationId)) || this.heard.get(conversationId)?.on !== false;
  }

  private setHeard(conversationId: string, on: boolean, notice = this.heard.get(conversationId)?.notice ?? 0): void {
    this.heard.delete(conversationId); // re-inserted: the Map's order is least recently told first
    if (this.heard.size >= MAX_HEARD) this.heard.delete(this.heard.keys().next().value!);
    this.heard.set(conversationId, { on, notice });
  }

  private dispatch(channel: string, message: string): void {
    if (channel === this.hereChannel()) {
      this.setHeard(message, true, ++this.notices);
      this.tokens.wake(message);
      return;
    }
    const signals = this.signalListeners.get(channel);
    if (signals) {
      for (const listener of [...signals]) this.safely(() => listener(message));
      return;
    }
    const set = this.listeners.get(channel);
    if (!set) return;
    let event: NumberedEvent;
    try {
      event = JSON.parse(message) as NumberedEvent;
    } catch (err) {
      this.onError(err, 'malformed event on the bus');
      return;
    }
    for (const listener of [...set]) this.safely(() => listener(event));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError(err, 'event listener');
    }
  }

  // Hash tags keep a conversation's keys in one Redis Cluster slot (the script touches all of them).
  private key(conversationId: string, what: 'seq' | 'events' | 'life' | 'drafts' | 'floor'): string {
    return `${this.prefix}rt:{${conversationId}}:${what}`;
  }

  private channel(conversationId: string): string {
    return `${this.prefix}rt:c:${conversationId}`;
  }

  /** Where a process says it started following a conversation (payload: its id). */
  private hereChannel(): string {
    return `${this.prefix}rt:here`;
  }

  private signalChannel(topic: SignalTopic): string {
    return `${this.prefix}rt:signal:${topic}`;
  }
}
