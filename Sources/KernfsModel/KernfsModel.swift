// Placeholder replaced by the reference model (issue 3).
import SeverCore
