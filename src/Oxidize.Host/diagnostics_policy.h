/*
 * Variables with which whoever controls the environment could make the runtime load code from a path
 * (a profiler, a standalone GC) or write files (EventPipe traces, the diagnostics pipes and socket). An oxidized
 * app ignores them unless it was built with OxidizeEnableDiagnostics=true; the runtime also reads the legacy
 * COMPlus_ prefix. docs/security.md lists them. One list for the Linux host (main.c) and the Windows host
 * (win_main.c), which each clear them their own way (unsetenv; SetEnvironmentVariable, which the runtime reads).
 */
#ifndef OXIDIZE_DIAGNOSTICS_POLICY_H
#define OXIDIZE_DIAGNOSTICS_POLICY_H

#include <stddef.h>

extern const char *const diagnostics_variables[];
extern const size_t diagnostics_variable_count;

#endif
