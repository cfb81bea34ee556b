// GET, POST /api/v1/conversations
import { restRoute } from "@twx/rest/next";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE } = restRoute("/conversations");
