/**
 * Syntax highlighting on the server with Shiki (TextMate grammars, the JavaScript regular
 * expression engine: no WebAssembly, nothing fetched at run time). The pages receive finished
 * HTML with inline colours, which the CSP's style-src allows; no highlighter ships to the browser.
 */
import { createHighlighterCore, type HighlighterCore } from "shiki/core";
import { createJavaScriptRegexEngine } from "shiki/engine/javascript";

export type CodeLanguage = "javascript" | "shellscript" | "python" | "json";

const THEME = "github-dark-default";

const globalForShiki = globalThis as unknown as { twxHighlighter?: Promise<HighlighterCore> };

function highlighter(): Promise<HighlighterCore> {
  globalForShiki.twxHighlighter ??= createHighlighterCore({
    themes: [import("shiki/themes/github-dark-default.mjs")],
    langs: [
      import("shiki/langs/javascript.mjs"),
      import("shiki/langs/shellscript.mjs"),
      import("shiki/langs/python.mjs"),
      import("shiki/langs/json.mjs"),
    ],
    engine: createJavaScriptRegexEngine(),
  });
  return globalForShiki.twxHighlighter;
}

/** `<pre class="shiki" data-language="…"><code class="language-…">…</code></pre>` */
export async function highlight(code: string, lang: CodeLanguage): Promise<string> {
  const shiki = await highlighter();
  return shiki.codeToHtml(code, {
    lang,
    theme: THEME,
    transformers: [
      {
        pre(node) {
          node.properties["data-language"] = lang;
          // Focusable so keyboard users can scroll a line wider than the screen.
          node.properties.tabindex = "0";
        },
        code(node) {
          this.addClassToHast(node, `language-${lang}`);
        },
      },
    ],
  });
}
