/*
 * The host's own answers to the runtime's P/Invokes into .NET's hostpolicy library ("libhostpolicy"), which an
 * oxidized executable does not have: corehost_resolve_component_dependencies and corehost_set_error_writer, the
 * two AssemblyDependencyResolver calls (component_resolver.h does the work). Every other hostpolicy export stays
 * unanswered, so the runtime reports it as missing, as before.
 */
#ifndef OXIDIZE_HOST_POLICY_H
#define OXIDIZE_HOST_POLICY_H

/* The function for a P/Invoke of entry_point in library_name, or NULL when it is not one of these. */
const void *host_policy_pinvoke_override(const char *library_name, const char *entry_point);

#endif
