/*
 * Test tool for component_resolver.c (never shipped): prints what the host answers AssemblyDependencyResolver
 * for a component, so tests can compare it with .NET's own hostpolicy on the same folder.
 *   component-resolver-tool COMPONENT.dll  ->  "assemblies: ...", "native: ...", "resources: ..." lines, exit 0;
 *   on failure the error lines on stderr and the hostpolicy status in hex on stdout ("status: 0x8000808b"), exit 1.
 */
#include <stdio.h>

#include "component_resolver.h"

static void write_error(const char *message)
{
    fprintf(stderr, "%s\n", message);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: component-resolver-tool COMPONENT.dll\n");
        return 2;
    }
    struct component_paths paths;
    int status = component_resolve(argv[1], &paths, write_error);
    if (status != 0) {
        printf("status: 0x%08x\n", (unsigned)status);
        return 1;
    }
    printf("assemblies: %s\nnative: %s\nresources: %s\n", paths.assemblies, paths.native_directories, paths.resource_directories);
    component_paths_free(&paths);
    return 0;
}
