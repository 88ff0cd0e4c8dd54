/** Names derived from routes: words, camelCase operationIds and FastAPI-style summaries. */

/**
 * Splits `read_item`, `readItem`, `read-item` or `/items/{item_id}` into lower-case words.
 *
 * @example
 * ```ts
 * words("readItem"); // ["read", "item"]
 * ```
 */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

/**
 * Joins words as a camelCase identifier that client generators can use as a method name
 * (never starting with a digit).
 *
 * @example
 * ```ts
 * camelCase(["read", "item"]); // "readItem"
 * ```
 */
export function camelCase(parts: readonly string[]): string {
  const id = parts.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  return /^[0-9]/.test(id) ? `op${id.charAt(0).toUpperCase()}${id.slice(1)}` : id;
}

/**
 * A route's name for docs: its `name` option, else its handler's function name (without the
 * `bound ` prefix of bound functions), else `undefined`.
 *
 * @example
 * ```ts
 * routeName(undefined, function readItem() {}); // "readItem"
 * ```
 */
export function routeName(explicit: string | undefined, handler: ((...args: any[]) => unknown) | undefined): string | undefined {
  if (explicit) return explicit;
  const name = (handler?.name ?? "").replace(/^bound /, "");
  return name === "" || name === "anonymous" ? undefined : name;
}

/**
 * FastAPI's default summary: the route's name in title case (`read_item` → "Read Item").
 *
 * @example
 * ```ts
 * summaryOf("readItem"); // "Read Item"
 * ```
 */
export function summaryOf(name: string): string {
  return words(name).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ");
}

/**
 * The words of a documented path: parameters read as `by <name>` (`/items/{item_id}` → items by item id).
 *
 * @example
 * ```ts
 * pathWords("/items/{item_id}"); // ["items", "by", "item", "id"]
 * ```
 */
export function pathWords(path: string): string[] {
  return path.split("/").flatMap((segment) => {
    const param = /^\{([^}:]+)(?::[^}]*)?\}$/.exec(segment);
    return param ? ["by", ...words(param[1]!)] : words(segment);
  });
}

/**
 * The default operationId candidates of an operation, from shortest to longest: the route's name
 * (`readItem`), then with the method (`readItemGet`), then with method and path
 * (`readItemGetItemsByItemId`). Unnamed routes start at method and path (`getItemsByItemId`).
 *
 * @example
 * ```ts
 * operationIdCandidates("GET", "/items/{id}", "readItem"); // ["readItem", "readItemGet", "readItemGetItemsById"]
 * ```
 */
export function operationIdCandidates(method: string, path: string, name: string | undefined): string[] {
  const route = [method.toLowerCase(), ...pathWords(path)];
  if (name === undefined) return [camelCase(route)];
  const base = words(name);
  if (base.length === 0) return [camelCase(route)];
  return [camelCase(base), camelCase([...base, method.toLowerCase()]), camelCase([...base, ...route])];
}
