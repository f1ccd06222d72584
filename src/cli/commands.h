/*
 * commands.h — the command descriptors, one per command source file
 * (cmd_*.c), listed in cli_main.c's command table.
 */
#ifndef FSK_COMMANDS_H
#define FSK_COMMANDS_H

#include "cli.h"

extern const cli_command cmd_calibrate_grid;
extern const cli_command cmd_calibrate_analyze;
extern const cli_command cmd_calibrate_predict;
extern const cli_command cmd_calibrate_scan;
extern const cli_command cmd_check;
extern const cli_command cmd_convert;
extern const cli_command cmd_profiles_list;
extern const cli_command cmd_profiles_show;
extern const cli_command cmd_profiles_validate;
extern const cli_command cmd_scan;
extern const cli_command cmd_render;

#endif
