// Placeholder replaced by the Kbuild reader (issue 4).
import SeverCore
