/** Query keys as Medusa's dashboard and plugins build them: `[name, "list", { query }]`, `[name, "detail", id]`. */
export const queryKeysFactory = <TName extends string, TListQuery = unknown>(name: TName) => {
  const keys = {
    all: [name] as const,
    lists: () => [name, "list"] as const,
    list: (query?: TListQuery) => (query === undefined ? keys.lists() : ([name, "list", { query }] as const)),
    details: () => [name, "detail"] as const,
    detail: (id: string) => [name, "detail", id] as const,
  }
  return keys
}
