import { defineMiddlewares } from "@medusajs/framework/http"
import { storeWoowupMiddlewares } from "./store/woowup/middlewares"

export default defineMiddlewares({
  routes: [...storeWoowupMiddlewares],
})
