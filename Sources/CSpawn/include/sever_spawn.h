// Process spawning helpers glibc has but Swift's Glibc module does not show.
#ifndef SEVER_SPAWN_H
#define SEVER_SPAWN_H

#include <spawn.h>

/// Adds to `actions` the closing, in the child, of every descriptor from `lowest` up, whatever
/// the parent holds at the moment of the spawn (glibc's posix_spawn_file_actions_addclosefrom_np,
/// glibc 2.34 and later). Returns 0 or an errno value.
int sever_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
