/* Test scaffolding for running mcpconf.exe under Wine 8; never shipped.
 *
 * Rust's standard library (1.78+) takes its random numbers from ProcessPrng in
 * bcryptprimitives.dll. Wine 8's bcryptprimitives.dll lacks that export, so every Rust program
 * stops with status 53 before main. This DLL, installed over Wine's bcryptprimitives.dll in the
 * test prefix, exports ProcessPrng and forwards it to RtlGenRandom (SystemFunction036 in
 * advapi32), the same source Windows itself uses underneath. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG: feed large requests in pieces. */
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
