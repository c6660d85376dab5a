import Foundation
import TTUsageCommands

let code = await TTUsage.runMain()
exit(code)
