#include "diagnostics_policy.h"

const char *const diagnostics_variables[] = {
    "CORECLR_ENABLE_PROFILING", "CORECLR_PROFILER", "CORECLR_PROFILER_PATH", "CORECLR_PROFILER_PATH_64",
    "DOTNET_EnableEventPipe", "COMPlus_EnableEventPipe", "DOTNET_EventPipeOutputPath", "COMPlus_EventPipeOutputPath",
    "DOTNET_EventPipeConfig", "COMPlus_EventPipeConfig", "DOTNET_GCPath", "COMPlus_GCPath",
    "COMPlus_EnableDiagnostics", "DOTNET_DiagnosticPorts", "COMPlus_DiagnosticPorts",
};

const size_t diagnostics_variable_count = sizeof diagnostics_variables / sizeof diagnostics_variables[0];
