import { defineMiddlewares } from "@medusajs/framework/http"
import { adminWoowupMiddlewares } from "./admin/woowup/middlewares"
import { storeWoowupMiddlewares } from "./store/woowup/middlewares"

export default defineMiddlewares({
  routes: [...adminWoowupMiddlewares, ...storeWoowupMiddlewares],
})
