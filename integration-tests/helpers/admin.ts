import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import type { AuthIdentityDTO, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateJwtToken, Modules } from "@medusajs/framework/utils"
import { request, type AuthHeaders, type HttpClient } from "./http"

export type AdminUserOptions = { email?: string; password?: string; first_name?: string; last_name?: string }

export type AdminUser = {
  userId: string
  authIdentityId: string
  email: string
  password: string
  /** A JWT as `POST /auth/user/emailpass` issues it. */
  token: string
  headers: AuthHeaders
}

const DEFAULT_ADMIN = { email: "admin@woowup.test", password: "supersecret" }

/**
 * Creates an admin user with an `emailpass` identity, the way `medusa user -e -p` does (auth module
 * `register`, then `createUserAccountWorkflow`), and signs a token for it with the app's JWT settings.
 * Idempotent per email: a second call with the same email and password reuses the user.
 *
 * The password is real (hashed by the emailpass provider), so `POST /auth/user/emailpass` and the admin
 * dashboard accept these credentials too.
 */
export async function createAdminUser(container: MedusaContainer, opts: AdminUserOptions = {}): Promise<AdminUser> {
  const email = opts.email ?? DEFAULT_ADMIN.email
  const password = opts.password ?? DEFAULT_ADMIN.password
  const auth = container.resolve(Modules.AUTH)
  const body = { url: "", headers: {}, query: {}, protocol: "http", body: { email, password } }

  let identity: AuthIdentityDTO | undefined
  const registered = await auth.register("emailpass", body)
  if (registered.success) {
    identity = registered.authIdentity
  } else {
    const existing = await auth.authenticate("emailpass", body)
    if (!existing.success) {
      throw new Error(`createAdminUser: ${email} exists with another password (${existing.error ?? registered.error})`)
    }
    identity = existing.authIdentity
  }
  if (!identity) {
    throw new Error(`createAdminUser: no auth identity for ${email}`)
  }

  let userId = identity.app_metadata?.user_id as string | undefined
  if (!userId) {
    const { result: user } = await createUserAccountWorkflow(container).run({
      input: {
        authIdentityId: identity.id,
        userData: { email, first_name: opts.first_name ?? "Admin", last_name: opts.last_name ?? "WoowUp" },
      },
    })
    userId = user.id
  }

  const { http } = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE).projectConfig
  const token = generateJwtToken(
    {
      actor_id: userId,
      actor_type: "user",
      auth_identity_id: identity.id,
      auth_provider: "emailpass",
      mfa_enabled: false,
      mfa_challenge_completed_at: null,
      app_metadata: { ...(identity.app_metadata ?? {}), user_id: userId },
      user_metadata: {},
    },
    { secret: http.jwtSecret, expiresIn: http.jwtExpiresIn ?? "1d", jwtOptions: http.jwtOptions }
  )

  return {
    userId,
    authIdentityId: identity.id,
    email,
    password,
    token,
    headers: { headers: { authorization: `Bearer ${token}` } },
  }
}

/**
 * Axios request config that authenticates as an admin user: `{ headers: { authorization: "Bearer <jwt>" } }`.
 * Creates the user on first use (see `createAdminUser`).
 *
 * @example
 * const admin = await adminHeaders(getContainer())
 * await api.get(`/admin/orders/${id}`, admin)
 */
export async function adminHeaders(container: MedusaContainer, opts: AdminUserOptions = {}): Promise<AuthHeaders> {
  return (await createAdminUser(container, opts)).headers
}

/** Logs an admin in over HTTP (`POST /auth/user/emailpass`), for scripts that have credentials and no container. */
export async function loginAdmin(
  api: HttpClient,
  credentials: { email: string; password: string } = DEFAULT_ADMIN
): Promise<AuthHeaders> {
  const { token } = await request<{ token: string }>("login admin", "post", api, "/auth/user/emailpass", credentials)
  return { headers: { authorization: `Bearer ${token}` } }
}
