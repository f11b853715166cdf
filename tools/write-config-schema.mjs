// Writes schema/lighttpd-lint.schema.json from the rule registry (run after `npm run build`).
import fs from "node:fs";
import { configSchema } from "../dist/src/config/schema.js";

fs.writeFileSync(new URL("../schema/lighttpd-lint.schema.json", import.meta.url), JSON.stringify(configSchema(), null, 2) + "\n");
