/** The three timed workloads of shared/bench-workloads.md, as requests. */

export type WorkloadName = "json" | "users" | "items";

export interface Workload {
  name: WorkloadName;
  label: string;
  method: "GET" | "POST";
  path: string;
  /** JSON body for POST workloads. */
  body?: string;
}

export const ITEM = {
  name: "Widget Pro",
  sku: "WID-12345",
  price: 19.99,
  quantity: 3,
  inStock: true,
  category: "tools",
  tags: ["new", "sale", "featured"],
  dimensions: { width: 10.5, height: 4.2, depth: 2 },
};

export const WORKLOADS: readonly Workload[] = [
  { name: "json", label: "GET /json", method: "GET", path: "/json" },
  { name: "users", label: "GET /users/{id}", method: "GET", path: "/users/42?fields=name,email" },
  { name: "items", label: "POST /items", method: "POST", path: "/items", body: JSON.stringify(ITEM) },
];
