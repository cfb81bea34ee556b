import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase, type TestDatabase } from "@twx/db/testing";
import { demoTwins } from "@twx/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createOfflineResponder,
  createOpenAiResponder,
  createResponderFromEnv,
  searchTerms,
  splitPassages,
  type TwinProfile,
  type TwinResponder,
} from "../src";

let t: TestDatabase;
let offline: TwinResponder;

function profile(slug: string): TwinProfile {
  const seed = demoTwins.find((tw) => tw.slug === slug)!;
  return { id: slug, ...seed };
}

beforeAll(async () => {
  t = await createTestDatabase();
  offline = createOfflineResponder(t.db);
});
afterAll(async () => {
  await t?.drop();
});

describe("offline responder", () => {
  it("answers a Vietnamese question from the best-matching passage, in Vietnamese", async () => {
    const twin = profile("nguyen-minh-anh-cardiology");
    const reply = await offline.reply({ twin, history: [], message: "Làm sao để giảm huyết áp?" });
    expect(reply).toMatch(/^Chào bạn, tôi là BS\. Nguyễn Minh Anh\./);
    expect(reply).toContain("nên ăn nhạt dưới 5 gam muối");
    // Deterministic: the same question gets the same answer.
    expect(await offline.reply({ twin, history: [], message: "Làm sao để giảm huyết áp?" })).toBe(reply);
  });

  it("answers an English question in English, ignoring case and stop words", async () => {
    const twin = profile("sarah-chen-security");
    const reply = await offline.reply({ twin, history: [], message: "What should I do when a KEY is LEAKED?" });
    expect(reply).toMatch(/^Hi, I'm Sarah Chen\./);
    expect(reply).toContain("Rotate a leaked key immediately");
  });

  it("says what it can help with when nothing matches", async () => {
    const en = await offline.reply({ twin: profile("david-okafor-finance"), history: [], message: "Who won the football?" });
    expect(en).toContain("outside what I can answer");
    const vi = await offline.reply({ twin: profile("tran-thu-ha-tax"), history: [], message: "???" });
    expect(vi).toContain("thuế và kế toán doanh nghiệp");
  });

  it("extracts terms and passages", () => {
    expect(searchTerms("What is the VAT, VAT rate in 2025?")).toEqual(["vat", "rate", "2025"]);
    expect(searchTerms("Huyết áp là gì?")).toEqual(["huyết", "áp"]);
    expect(splitPassages("a\n\n  b  c\n\n\n")).toEqual(["a", "b c"]);
  });
});

interface Captured {
  body: { model: string; messages: Array<{ role: string; content: string }> };
  authorization: string | undefined;
}

async function fakeProvider(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const captured: Captured[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      captured.push({ body: JSON.parse(body), authorization: req.headers.authorization });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    captured,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("OpenAI-compatible responder", () => {
  it("sends the twin's profile, the history and the message, and returns the completion", async () => {
    const provider = await fakeProvider((req, res) => {
      expect(req.url).toBe("/v1/chat/completions");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "  Xin chào!  " } }] }));
    });
    try {
      const responder = createOpenAiResponder({ baseUrl: `${provider.baseUrl}/`, apiKey: "sk-test", model: "m1", fallback: offline });
      const reply = await responder.reply({
        twin: profile("nguyen-minh-anh-cardiology"),
        history: [
          { role: "user", content: "q1" },
          { role: "twin", content: "a1" },
        ],
        message: "q2",
      });
      expect(reply).toBe("Xin chào!");
      const [call] = provider.captured;
      expect(call!.authorization).toBe("Bearer sk-test");
      expect(call!.body.model).toBe("m1");
      expect(call!.body.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
      expect(call!.body.messages[0]!.content).toContain("Vietnamese");
      expect(call!.body.messages[0]!.content).toContain("120/80 mmHg");
      expect(call!.body.messages[3]!.content).toBe("q2");
    } finally {
      await provider.close();
    }
  });

  it("falls back to the offline answer on an error status, empty content or a timeout, and logs no secret", async () => {
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { warn: (context: Record<string, unknown>) => warnings.push(context) };
    const twin = profile("sarah-chen-security");
    const expected = await offline.reply({ twin, history: [], message: "leaked key" });

    const failing = await fakeProvider((_req, res) => {
      res.statusCode = 500;
      res.end("internal");
    });
    const empty = await fakeProvider((_req, res) => res.end(JSON.stringify({ choices: [] })));
    const slow = await fakeProvider((_req, res) => setTimeout(() => res.end("{}"), 2_000));
    try {
      for (const provider of [failing, empty, slow]) {
        const responder = createOpenAiResponder({
          baseUrl: provider.baseUrl,
          apiKey: "sk-secret-value",
          model: "m1",
          timeoutMs: 300,
          fallback: offline,
          logger,
        });
        expect(await responder.reply({ twin, history: [], message: "leaked key" })).toBe(expected);
      }
      expect(warnings).toHaveLength(3);
      expect(String(warnings[2]!.reason)).toContain("timeout");
      expect(JSON.stringify(warnings)).not.toContain("sk-secret-value");
    } finally {
      await Promise.all([failing.close(), empty.close(), slow.close()]);
    }
  });

  it("is chosen by the environment only with a base URL and a model", () => {
    const none = { TWIN_LLM_BASE_URL: undefined, TWIN_LLM_API_KEY: undefined, TWIN_LLM_MODEL: undefined };
    expect(createResponderFromEnv(t.db, none).name).toBe("offline");
    const set = { TWIN_LLM_BASE_URL: "http://127.0.0.1:9/v1", TWIN_LLM_API_KEY: "k", TWIN_LLM_MODEL: "m" };
    expect(createResponderFromEnv(t.db, set).name).toBe("openai-compatible 127.0.0.1:9 m");
  });
});
