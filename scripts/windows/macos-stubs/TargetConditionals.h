/* Stand-in for the macOS SDK's TargetConditionals.h, for type-checking (ring's C) only: no macOS
 * SDK can be installed on the Linux CI machine. Says "macOS, not iOS". */
#ifndef MCPCONF_STUB_TARGETCONDITIONALS_H
#define MCPCONF_STUB_TARGETCONDITIONALS_H
#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#define TARGET_OS_WATCH 0
#define TARGET_OS_TV 0
#define TARGET_OS_SIMULATOR 0
#define TARGET_OS_EMBEDDED 0
#endif
