/**
 * Request examples in JavaScript (fetch), cURL and Python (requests) for one operation. The
 * credential is a placeholder built from the key's `start`: a secret is never put on the page.
 */
export interface SnippetRequest {
  method: string;
  /** Full URL, path parameters filled in. */
  url: string;
  credential: { kind: "api_key" | "user_token"; value: string } | null;
  body?: unknown;
}

export const KEY_ENV = "TWX_API_KEY";
export const TOKEN_ENV = "TWX_ACCESS_TOKEN";

function envName(request: SnippetRequest): string {
  return request.credential?.kind === "user_token" ? TOKEN_ENV : KEY_ENV;
}

function indent(text: string, spaces: number): string {
  return text.split("\n").join(`\n${" ".repeat(spaces)}`);
}

/** A JSON value as a Python literal. */
export function pythonLiteral(value: unknown, level = 0): string {
  const pad = "    ".repeat(level + 1);
  const end = "    ".repeat(level);
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${pad}${pythonLiteral(v, level + 1)},`).join("\n")}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pythonLiteral(v, level + 1)},`).join("\n")}\n${end}}`;
}

export function javascriptSnippet(request: SnippetRequest): string {
  const lines: string[] = [];
  const headers: string[] = [];
  if (request.credential) {
    const variable = request.credential.kind === "user_token" ? "accessToken" : "apiKey";
    lines.push(`// Keep the full ${request.credential.kind === "user_token" ? "token" : "key"} out of your source code: read it from the environment.`);
    lines.push(`const ${variable} = process.env.${envName(request)} ?? "${request.credential.value}";`, "");
    headers.push(`Authorization: \`Bearer \${${variable}}\``);
  }
  if (request.body !== undefined) headers.push(`"Content-Type": "application/json"`);
  const options: string[] = [];
  if (request.method !== "GET") options.push(`method: "${request.method}"`);
  if (headers.length > 0) options.push(`headers: { ${headers.join(", ")} }`);
  if (request.body !== undefined) options.push(`body: JSON.stringify(${indent(JSON.stringify(request.body, null, 2), 2)})`);
  const call = options.length > 0 ? `await fetch("${request.url}", {\n  ${options.join(",\n  ")},\n})` : `await fetch("${request.url}")`;
  lines.push(`const response = ${call};`);
  lines.push("const body = await response.json();");
  lines.push("if (!body.success) throw new Error(`${response.status} ${body.error.code}: ${body.error.message}`);");
  lines.push("console.log(body.data);");
  return lines.join("\n");
}

export function curlSnippet(request: SnippetRequest): string {
  const lines: string[] = [];
  if (request.credential) lines.push(`export ${envName(request)}="${request.credential.value}"`, "");
  const parts = [`curl${request.method === "GET" ? "" : ` -X ${request.method}`} "${request.url}"`];
  if (request.credential) parts.push(`-H "Authorization: Bearer $${envName(request)}"`);
  if (request.body !== undefined) {
    parts.push(`-H "Content-Type: application/json"`);
    parts.push(`-d '${JSON.stringify(request.body).replaceAll("'", "'\\''")}'`);
  }
  lines.push(parts.join(" \\\n  "));
  return lines.join("\n");
}

export function pythonSnippet(request: SnippetRequest): string {
  const lines = ["import os", "", "import requests", ""];
  const args = [`"${request.url}"`];
  if (request.credential) {
    const variable = request.credential.kind === "user_token" ? "access_token" : "api_key";
    lines.push(`${variable} = os.environ.get("${envName(request)}", "${request.credential.value}")`, "");
    args.push(`headers={"Authorization": f"Bearer {${variable}}"}`);
  }
  if (request.body !== undefined) args.push(`json=${indent(pythonLiteral(request.body), 4)}`);
  args.push("timeout=30");
  lines.push(`response = requests.${request.method.toLowerCase()}(\n    ${args.join(",\n    ")},\n)`);
  lines.push("body = response.json()");
  lines.push(`if not body["success"]:`);
  lines.push(`    raise RuntimeError(f'{response.status_code} {body["error"]["code"]}: {body["error"]["message"]}')`);
  lines.push(`print(body["data"])`);
  return lines.join("\n");
}
