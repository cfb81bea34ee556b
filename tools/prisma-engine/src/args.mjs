// Command-line arguments, as the Prisma CLI passes them to a schema engine binary:
//
//   schema-engine [--datamodels <file>]... [--datasource <json>]
//                 [--enabled-preview-features <a,b>] [--extension-types <json>]
//   schema-engine --datasource '{"url":"..."}' cli can-connect-to-database | create-database
//   schema-engine --version
//
// `--datasource` is the `datasource` block of prisma.config.ts as JSON: `url` and optionally
// `shadowDatabaseUrl`.

/**
 * @typedef {object} EngineArgs
 * @property {string[]} datamodels
 * @property {{ url?: string, shadowDatabaseUrl?: string } | undefined} datasource
 * @property {string[]} previewFeatures
 * @property {string[] | undefined} cli      the words after `cli`, if that subcommand was given
 * @property {boolean} version
 * @property {boolean} help
 * @property {string[]} ignored              arguments this engine does not use
 */

/**
 * @param {string[]} argv
 * @returns {EngineArgs}
 */
export function parseArgs(argv) {
  /** @type {EngineArgs} */
  const out = { datamodels: [], datasource: undefined, previewFeatures: [], cli: undefined, version: false, help: false, ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new Error(`missing value for ${flag}`);
      return next;
    };
    switch (flag) {
      case "-d":
      case "--datamodels":
        out.datamodels.push(value());
        break;
      case "--datasource": {
        const raw = value();
        try {
          out.datasource = JSON.parse(raw);
        } catch {
          throw new Error("--datasource must be JSON, e.g. {\"url\":\"postgresql://...\"}");
        }
        break;
      }
      case "--enabled-preview-features":
        out.previewFeatures.push(...value().split(",").filter(Boolean));
        break;
      case "--extension-types":
        out.ignored.push(flag);
        value();
        break;
      case "-V":
      case "--version":
        out.version = true;
        break;
      case "-h":
      case "--help":
        out.help = true;
        break;
      case "cli":
        out.cli = argv.slice(i + 1);
        i = argv.length;
        break;
      default:
        out.ignored.push(arg);
    }
  }
  return out;
}

export const HELP = `schema-engine (Prisma schema engine served by @prisma/schema-engine-wasm over @prisma/adapter-pg)

Usage:
  schema-engine [--datamodels <file>]... [--datasource <json>]   JSON-RPC 2.0 over stdin/stdout
  schema-engine --datasource <json> cli can-connect-to-database
  schema-engine --datasource <json> cli create-database
  schema-engine --version
`;
