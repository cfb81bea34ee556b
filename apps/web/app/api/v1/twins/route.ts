// GET /api/v1/twins
import { restRoute } from "@twx/rest/next";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE } = restRoute("/twins");
