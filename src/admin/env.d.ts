// Globals the admin dashboard's Vite build defines (see @medusajs/admin-bundler).
declare const __BACKEND_URL__: string | undefined
declare const __AUTH_TYPE__: string | undefined
declare const __JWT_TOKEN_STORAGE_KEY__: string | undefined
