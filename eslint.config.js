import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/scratch-bench/**", "**/node_modules/**", "**/dist/**", "bench/results/**", "bench/typecheck/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", setImmediate: "readonly", Buffer: "readonly", URL: "readonly", performance: "readonly", structuredClone: "readonly", AbortController: "readonly", TextDecoder: "readonly", TextEncoder: "readonly", fetch: "readonly", Response: "readonly", URLSearchParams: "readonly", Headers: "readonly", Request: "readonly", queueMicrotask: "readonly", NodeJS: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-empty-object-type": "off",
      "no-control-regex": "off",
    },
  },
);
