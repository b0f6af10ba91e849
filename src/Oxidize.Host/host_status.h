/*
 * Exit codes of the host itself. An oxidized app's own exit code passes through unchanged, so the
 * host's codes sit in a band (179-189) apps rarely use; docs/errors.md lists each with its causes.
 */
#ifndef OXIDIZE_HOST_STATUS_H
#define OXIDIZE_HOST_STATUS_H

enum host_status {
    HOST_OK = 0,
    /* The executable could not open, size or map its own file (/proc/self/exe). */
    HOST_EXIT_SELF_UNREADABLE = 180,
    /* No payload trailer at the end of the file: a bare host, or a truncated executable. */
    HOST_EXIT_PAYLOAD_MISSING = 181,
    /* The payload's header, index, strings or data ranges are inconsistent: a corrupted executable. */
    HOST_EXIT_PAYLOAD_CORRUPT = 182,
    /* The payload was written in a format version this host does not know. */
    HOST_EXIT_FORMAT_UNSUPPORTED = 183,
    /* The payload was packed for a .NET runtime whose host contract this host does not know. */
    HOST_EXIT_RUNTIME_UNSUPPORTED = 184,
    /* A packed native runtime library could not be loaded from memory (memfd or dlopen failed). */
    HOST_EXIT_NATIVE_LOAD_FAILED = 185,
    /* coreclr_initialize failed. */
    HOST_EXIT_RUNTIME_INIT_FAILED = 186,
    /* coreclr_execute_assembly failed before the app's Main returned. */
    HOST_EXIT_EXECUTE_FAILED = 187,
    /* Memory for the host's own bookkeeping could not be allocated. */
    HOST_EXIT_OUT_OF_MEMORY = 188,
    /* The executable's path is not a file on a path (started from a memfd, or deleted since), so the
       app has no folder of its own. */
    HOST_EXIT_NO_APP_DIRECTORY = 189,
    /* stdin, stdout or stderr was closed and neither /dev/null nor a pipe could take its place; nothing is
       printed, since stderr may be the descriptor that could not be filled. */
    HOST_EXIT_NO_STANDARD_DESCRIPTORS = 179
};

#endif
