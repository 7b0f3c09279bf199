import Medusa from "@medusajs/js-sdk"

// The dashboard's build defines these (admin.backendUrl, admin.authType...); a plugin reads them as Medusa's own
// plugins do. `typeof` keeps the module loadable where they are not defined.
export const backendUrl = typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__ ? __BACKEND_URL__ : "/"
const authType = typeof __AUTH_TYPE__ !== "undefined" && __AUTH_TYPE__ ? __AUTH_TYPE__ : "session"
const jwtTokenStorageKey =
  typeof __JWT_TOKEN_STORAGE_KEY__ !== "undefined" && __JWT_TOKEN_STORAGE_KEY__ ? __JWT_TOKEN_STORAGE_KEY__ : undefined

export const sdk = new Medusa({
  baseUrl: backendUrl,
  auth: { type: authType as "session" | "jwt", jwtTokenStorageKey },
})
