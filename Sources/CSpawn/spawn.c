// glibc declares posix_spawn_file_actions_addclosefrom_np only for _GNU_SOURCE, which Swift's
// Glibc module is not built with; this file is.
#define _GNU_SOURCE
#include <spawn.h>

#include "sever_spawn.h"

int sever_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
  return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
