/** One file for the test client: a Blob/File, or its content with a name and media type. */
export type TestFile = Blob | { content: string | Uint8Array; filename?: string; contentType?: string };

/**
 * Text fields and files as a FormData, in the order given (fields first, like a browser form).
 *
 * @example
 * ```ts
 * const data = formDataOf({ title: "Notes" }, { document: { content: "hi", filename: "a.txt" } });
 * ```
 */
export function formDataOf(fields: Record<string, string | readonly string[]> | undefined, files: Record<string, TestFile | readonly TestFile[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields ?? {})) for (const v of typeof value === "string" ? [value] : value) data.append(name, v);
  for (const [name, value] of Object.entries(files)) {
    const list: readonly TestFile[] = Array.isArray(value) ? value : [value as TestFile];
    for (const file of list) {
      if (file instanceof Blob) data.append(name, file, file instanceof File ? file.name : "upload");
      else {
        const blob = new Blob([file.content] as ConstructorParameters<typeof Blob>[0], file.contentType === undefined ? {} : { type: file.contentType });
        data.append(name, blob, file.filename ?? "upload");
      }
    }
  }
  return data;
}

/**
 * Encodes a FormData as a `multipart/form-data` body with the platform's own encoder (the one
 * `fetch` uses), returning the bytes and the Content-Type with its boundary.
 *
 * @example
 * ```ts
 * const { body, contentType } = await encodeFormData(formDataOf({ name: "Ada" }, { avatar: { content: png, filename: "me.png" } }));
 * ```
 */
export async function encodeFormData(data: FormData): Promise<{ body: Buffer; contentType: string }> {
  const encoded = new Response(data);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type")! };
}
