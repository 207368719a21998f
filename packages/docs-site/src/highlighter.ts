// Syntax highlighting with shiki, loaded once per build. Only the languages the course shows are loaded (each
// grammar costs start-up time); a fence in any other language is shown as plain text.
import { createHighlighterCore, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

export const THEMES = { light: 'github-light', dark: 'github-dark' } as const;

export function createHighlighter(): Promise<HighlighterCore> {
  return createHighlighterCore({
    themes: [import('shiki/themes/github-light.mjs'), import('shiki/themes/github-dark.mjs')],
    langs: [
      import('shiki/langs/typescript.mjs'),
      import('shiki/langs/tsx.mjs'),
      import('shiki/langs/javascript.mjs'),
      import('shiki/langs/json.mjs'),
      import('shiki/langs/yaml.mjs'),
      import('shiki/langs/shellscript.mjs'),
      import('shiki/langs/python.mjs'),
      import('shiki/langs/csharp.mjs'),
      import('shiki/langs/java.mjs'),
      import('shiki/langs/hcl.mjs'),
      import('shiki/langs/html.mjs'),
      import('shiki/langs/http.mjs'),
      import('shiki/langs/ini.mjs'),
    ],
    // The JavaScript regex engine needs no WebAssembly, so the build starts faster.
    engine: createJavaScriptRegexEngine(),
  });
}
