/**
 * A second app configured with an OpenAI-compatible provider (TWIN_LLM_*): replies come from
 * the provider, which receives the twin's profile, the model and the key.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "./global-setup";
import { closeDb, createUser, expectLogsFreeOf, tokenFor } from "./helpers";

let provider: Server;
let app: { baseUrl: string; stop(): Promise<void> };
const received: Array<{ authorization?: string; body: { model: string; messages: Array<{ role: string; content: string }> } }> = [];
const secrets: string[] = ["sk-e2e-provider-key"];

beforeAll(async () => {
  provider = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ authorization: req.headers.authorization, body: JSON.parse(body) });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "Answer from the provider." } }] }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  const { port } = provider.address() as AddressInfo;
  app = await startApp(
    {
      DATABASE_URL: process.env.DATABASE_URL!,
      AUTH_SECRET: process.env.AUTH_SECRET!,
      JWT_SECRET: process.env.JWT_SECRET!,
      API_KEY_PEPPER: process.env.API_KEY_PEPPER!,
      TWIN_LLM_BASE_URL: `http://127.0.0.1:${port}/v1`,
      TWIN_LLM_API_KEY: "sk-e2e-provider-key",
      TWIN_LLM_MODEL: "e2e-model",
      NODE_ENV: "production",
    },
    process.env.TWX_E2E_LOG!,
  );
}, 90_000);
afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => provider?.close(resolve));
  await expectLogsFreeOf(secrets);
  await closeDb();
});

async function post(path: string, credential: Record<string, string>, json: unknown) {
  const response = await fetch(`${app.baseUrl}/api/v1${path}`, {
    method: "POST",
    headers: { ...credential, "Content-Type": "application/json" },
    body: JSON.stringify(json),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("OpenAI-compatible twin replies", () => {
  it("answers through the provider configured by TWIN_LLM_*", async () => {
    const user = await createUser("provider");
    const token = await tokenFor(user.id);
    const created = await post("/auth/api-keys", { Authorization: `Bearer ${token}` }, { name: "llm", scope: "full_access" });
    expect(created.status).toBe(201);
    const key = created.body.data.key as string;
    secrets.push(token, key);

    const twins = (await (await fetch(`${app.baseUrl}/api/v1/twins?limit=100`, { headers: { "X-API-Key": key } })).json()) as any;
    const twin = twins.data.find((t: { name: string }) => t.name === "Sarah Chen");
    const conversation = await post("/conversations", { "X-API-Key": key }, { twinId: twin.id });
    const sent = await post(`/conversations/${conversation.body.data.id}/messages`, { "X-API-Key": key }, { content: "How do I rotate a key?" });

    expect(sent.status).toBe(201);
    expect(sent.body.data.reply.content).toBe("Answer from the provider.");
    const call = received.at(-1)!;
    expect(call.authorization).toBe("Bearer sk-e2e-provider-key");
    expect(call.body.model).toBe("e2e-model");
    expect(call.body.messages[0]!.content).toContain("Sarah Chen");
    expect(call.body.messages.at(-1)).toEqual({ role: "user", content: "How do I rotate a key?" });
  });
});
