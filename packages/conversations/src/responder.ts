/**
 * Twin replies. A {@link TwinResponder} turns the user's message (and the recent history) into
 * the twin's answer. Two implementations:
 *
 * - {@link createOfflineResponder}: answers from the twin's own profile and knowledge text, with
 *   no network. The knowledge is split into passages (blank-line separated) and the passage that
 *   best matches the question by Postgres full-text search wins; the `simple` configuration is
 *   used because it only lower-cases and splits words, which works for Vietnamese as well as
 *   English (language-specific stemmers would mangle Vietnamese syllables). Same input, same
 *   answer: tests and demos are deterministic.
 * - {@link createOpenAiResponder}: any OpenAI-compatible `/chat/completions` endpoint, with a
 *   timeout, and the offline responder as the fallback when the provider fails.
 */
import type { Env } from "@twx/config";
import type { Database } from "@twx/db";

export interface TwinProfile {
  id: string;
  name: string;
  expertise: string;
  description: string;
  /** BCP 47 language the twin speaks ("vi", "en"). */
  language: string;
  knowledge: string;
}

export interface ReplyRequest {
  twin: TwinProfile;
  /** Earlier messages of the conversation, oldest first (bounded by the caller). */
  history: ReadonlyArray<{ role: "user" | "twin"; content: string }>;
  message: string;
}

export interface TwinResponder {
  /** For logs: "offline", "openai-compatible <host> <model>". */
  readonly name: string;
  reply(request: ReplyRequest): Promise<string>;
}

/** Pino-compatible. */
export interface ResponderLogger {
  warn(context: Record<string, unknown>, message: string): void;
}

const silentLogger: ResponderLogger = { warn: () => undefined };

// ---------------------------------------------------------------------------------------------
// Offline responder
// ---------------------------------------------------------------------------------------------

/**
 * Words that carry no topic. The `simple` configuration keeps every word, so without this list
 * "what is the ..." would match any passage containing "is" or "the".
 */
const STOP_WORDS = new Set(
  [
    // English
    "a an and are as at be but by can could do does for from have how i if in is it its me my of on or our should so than that the their them there these they this to was we what when where which who why will with would you your about tell please",
    // Vietnamese (syllables)
    "à ạ ai anh bạn bao bị các cái cần chị cho chúng có của cũng đã đang để đến được em gì hãy hay hỏi khi không là làm lại mà mình một nào này nên nhé những như ơi phải ra rằng rồi sao sẽ thì thế tôi từ và vậy về vì với xin",
  ]
    .join(" ")
    .split(" "),
);

const MAX_TERMS = 32;

/** Lower-cased, de-duplicated search terms of a message (letters and digits only). */
export function searchTerms(message: string): string[] {
  const words = message.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms: string[] = [];
  for (const word of words) {
    if (word.length < 2 && !/\p{N}/u.test(word)) continue;
    if (STOP_WORDS.has(word) || terms.includes(word)) continue;
    terms.push(word);
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

export function splitPassages(knowledge: string): string[] {
  return knowledge
    .normalize("NFC")
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p.length > 0);
}

interface Phrasing {
  answer(twin: TwinProfile, passage: string): string;
  unknown(twin: TwinProfile): string;
}

const PHRASING: Record<"vi" | "en", Phrasing> = {
  vi: {
    answer: (twin, passage) =>
      `Chào bạn, tôi là ${twin.name}. Theo kinh nghiệm của tôi về ${lowerFirst(twin.expertise)}: ${passage}`,
    unknown: (twin) =>
      `Chào bạn, tôi là ${twin.name}. ${twin.description} Câu hỏi này nằm ngoài những gì tôi có thể trả lời chắc chắn; bạn hãy hỏi tôi về ${lowerFirst(twin.expertise)} nhé.`,
  },
  en: {
    answer: (twin, passage) => `Hi, I'm ${twin.name}. From my experience in ${lowerFirst(twin.expertise)}: ${passage}`,
    unknown: (twin) =>
      `Hi, I'm ${twin.name}. ${twin.description} That question is outside what I can answer with confidence; ask me about ${lowerFirst(twin.expertise)}.`,
  },
};

function lowerFirst(text: string): string {
  // "Tim mạch" → "tim mạch", but keep acronyms such as "API security" as they are.
  return /^\p{Lu}\p{Ll}/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function phrasingFor(language: string): Phrasing {
  return language.toLowerCase().startsWith("vi") ? PHRASING.vi : PHRASING.en;
}

/** Postgres `to_tsquery` text matching any of the terms; terms are letters and digits only. */
function anyOf(terms: string[]): string {
  return terms.map((term) => `'${term.replaceAll("'", "''")}'`).join(" | ");
}

/** Index of the best-matching passage, or null when none shares a word with the question. */
export async function bestPassage(db: Database, passages: string[], terms: string[]): Promise<number | null> {
  if (passages.length === 0 || terms.length === 0) return null;
  // Lower-cased here rather than by Postgres, so the result does not depend on the database's
  // LC_CTYPE (the embedded database runs with the C locale).
  const lowered = passages.map((p) => p.toLowerCase());
  const rows = await db.$queryRaw<Array<{ idx: number }>>`
    SELECT (p.ord - 1)::int AS idx
    FROM unnest(${lowered}::text[]) WITH ORDINALITY AS p(passage, ord),
         to_tsquery('simple', ${anyOf(terms)}) AS q
    WHERE to_tsvector('simple', p.passage) @@ q
    ORDER BY ts_rank(to_tsvector('simple', p.passage), q) DESC, p.ord ASC
    LIMIT 1`;
  return rows[0]?.idx ?? null;
}

export function createOfflineResponder(db: Database): TwinResponder {
  return {
    name: "offline",
    async reply({ twin, message }) {
      const passages = splitPassages(twin.knowledge);
      const phrasing = phrasingFor(twin.language);
      const index = await bestPassage(db, passages, searchTerms(message));
      const passage = index === null ? undefined : passages[index];
      return passage ? phrasing.answer(twin, passage) : phrasing.unknown(twin);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// OpenAI-compatible responder
// ---------------------------------------------------------------------------------------------

export interface OpenAiResponderOptions {
  /** Base URL up to the API version, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  /** Bearer token; local servers often need none. */
  apiKey?: string | undefined;
  model: string;
  /** Longest wait for the provider before the fallback answers. */
  timeoutMs?: number;
  /** Answers when the provider fails, times out or returns nothing usable. */
  fallback: TwinResponder;
  logger?: ResponderLogger;
  fetch?: typeof fetch;
}

export const DEFAULT_LLM_TIMEOUT_MS = 20_000;
/** History sent to the provider: enough context, bounded cost. */
const HISTORY_SENT = 12;

function languageName(language: string): string {
  return language.toLowerCase().startsWith("vi") ? "Vietnamese" : "English";
}

export function systemPrompt(twin: TwinProfile): string {
  return [
    `You are ${twin.name}, a digital twin of an expert in ${twin.expertise}.`,
    `Profile: ${twin.description}`,
    `Always answer in ${languageName(twin.language)}, in the first person, briefly and accurately.`,
    "State facts only from the knowledge below; when it does not cover the question, say so and suggest what you can help with.",
    "",
    "Knowledge:",
    twin.knowledge,
  ].join("\n");
}

export function createOpenAiResponder(options: OpenAiResponderOptions): TwinResponder {
  const endpoint = `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const logger = options.logger ?? silentLogger;
  const doFetch = options.fetch ?? fetch;
  // Host and model only: the URL could carry credentials, the key never goes near a log.
  const host = new URL(endpoint).host;

  async function ask(request: ReplyRequest): Promise<string> {
    const messages = [
      { role: "system", content: systemPrompt(request.twin) },
      ...request.history.slice(-HISTORY_SENT).map((m) => ({
        role: m.role === "twin" ? "assistant" : "user",
        content: m.content,
      })),
      { role: "user", content: request.message },
    ];
    const response = await doFetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: options.model, messages, temperature: 0.3, max_tokens: 800 }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      // Drain the body so the connection is reused; its text may echo the request, so not logged.
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`provider answered HTTP ${response.status}`);
    }
    const body = (await response.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== "string" || content.trim() === "") throw new Error("provider returned no content");
    return content.trim();
  }

  return {
    name: `openai-compatible ${host} ${options.model}`,
    async reply(request) {
      try {
        return await ask(request);
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        logger.warn(
          {
            provider: host,
            model: options.model,
            twinId: request.twin.id,
            reason: timedOut ? `timeout after ${timeoutMs} ms` : error instanceof Error ? error.message : "error",
          },
          "twin reply provider failed; answering offline",
        );
        return options.fallback.reply(request);
      }
    },
  };
}

/** The responder the environment asks for: the provider when TWIN_LLM_BASE_URL and model are set. */
export function createResponderFromEnv(
  db: Database,
  env: Pick<Env, "TWIN_LLM_BASE_URL" | "TWIN_LLM_API_KEY" | "TWIN_LLM_MODEL">,
  logger?: ResponderLogger,
): TwinResponder {
  const offline = createOfflineResponder(db);
  if (env.TWIN_LLM_BASE_URL && !env.TWIN_LLM_MODEL) {
    logger?.warn({}, "TWIN_LLM_BASE_URL is set without TWIN_LLM_MODEL; twins answer offline");
  }
  if (!env.TWIN_LLM_BASE_URL || !env.TWIN_LLM_MODEL) return offline;
  return createOpenAiResponder({
    baseUrl: env.TWIN_LLM_BASE_URL,
    apiKey: env.TWIN_LLM_API_KEY,
    model: env.TWIN_LLM_MODEL,
    fallback: offline,
    ...(logger ? { logger } : {}),
  });
}
