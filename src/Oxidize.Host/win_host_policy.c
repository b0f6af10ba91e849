/* host_policy.h on Windows: not answered yet. component_resolver.c (AssemblyDependencyResolver's deps.json rules)
   is written for Linux paths and RIDs, so on win-x64 the runtime finds no hostpolicy and AssemblyDependencyResolver
   throws its own InvalidOperationException, as in any app without hostpolicy (docs/how-it-works.md, "Windows"). */
#include "host_policy.h"

#include <stddef.h>

const void *host_policy_pinvoke_override(const char *library_name, const char *entry_point)
{
    (void)library_name;
    (void)entry_point;
    return NULL;
}
