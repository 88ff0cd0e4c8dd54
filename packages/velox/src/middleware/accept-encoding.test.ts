import { describe, expect, it } from "vitest";
import { negotiateEncoding } from "./accept-encoding.ts";

const both = ["br", "gzip"] as const;

describe("negotiateEncoding", () => {
  it.each([
    // [header, supported, expected]
    [undefined, both, null],
    ["", both, null],
    ["gzip", both, "gzip"],
    ["GZIP", both, "gzip"],
    ["x-gzip", both, "gzip"],
    ["br", both, "br"],
    ["gzip, deflate, br", both, "br"],
    ["gzip, deflate, br, zstd", both, "br"],
    ["gzip, deflate, br", ["gzip"], "gzip"],
    ["deflate", both, null],
    ["identity", both, null],
    ["gzip;q=1, br;q=0.5", both, "gzip"],
    ["br;q=0.5, gzip;q=0.9", both, "gzip"],
    ["gzip;q=0.5, br;q=0.5", both, "br"],
    ["gzip;q=0", both, null],
    ["br;q=0, gzip", both, "gzip"],
    ["*", both, "br"],
    ["*", ["gzip"], "gzip"],
    ["*;q=0", both, null],
    ["*;q=0, gzip", both, "gzip"],
    ["*, br;q=0", both, "gzip"],
    ["*;q=0.3, gzip;q=0.1", both, "br"],
    ["identity;q=1, gzip;q=0.5", both, null],
    ["identity;q=0.4, gzip;q=0.5", both, "gzip"],
    ["identity;q=0", both, null],
    ["identity;q=0, gzip", both, "gzip"],
    ["*;q=0.5, gzip;q=0.4", both, "br"],
    ["*;q=0.5, gzip;q=0.4", ["gzip"], null],
    ["gzip;q=1.000", both, "gzip"],
    ["gzip;q=0.001", both, "gzip"],
    ["gzip;q=1.5", both, null],
    ["gzip;q=abc", both, null],
    ["gzip;q=0.0001", both, null],
    ["gzip;q=", both, null],
    ["gzip ; q=0.5 , br ; q=0.4", both, "gzip"],
    ["gzip;level=9", both, "gzip"],
    ["gz ip", both, null],
    [",,, gzip ,", both, "gzip"],
    [["gzip;q=0.2", "br;q=0.3"], both, "br"],
  ] as const)("%j of %j → %s", (header, supported, expected) => {
    expect(negotiateEncoding(header as string | string[] | undefined, supported)).toBe(expected);
  });
});
