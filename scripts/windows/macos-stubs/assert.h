/* Stand-in for <assert.h> for the macOS type-check of ring's C (no SDK here): asserts vanish. */
#ifndef MCPCONF_STUB_ASSERT_H
#define MCPCONF_STUB_ASSERT_H
#define assert(x) ((void)0)
#endif
