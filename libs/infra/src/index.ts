export {
  dataRoot,
  freePort,
  type RunningServer,
  type StartOptions,
  startFerretDb,
  startNats,
} from "./servers.js";
export { ensureTool, findGo, repoRoot, TOOLS, type ToolName, toolsBin, toolsDir } from "./tools.js";
