/*
 * cmd_render.c — `filastack render`: the artwork as convert sees it on the
 * print pixel grid, before color matching, written as a PNG that prints at
 * true size. Uses fsk_print_image_load, the same path as convert.
 */
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "fsk_resample.h"

enum { OPT_WIDTH = 1, OPT_HEIGHT, OPT_PIXEL, OPT_PRINTER, OPT_MAX_PIXELS, OPT_OUTPUT };

static const cli_option render_options[] = {
    {"width-mm", 0, "W", "width of the print in mm (the height follows the aspect)", OPT_WIDTH},
    {"height-mm", 0, "H", "height of the print in mm (the width follows the aspect)", OPT_HEIGHT},
    {"pixel-mm", 0, "P", "print pixel size in mm (default: the printer's nozzle)", OPT_PIXEL},
    {"printer", 0, "NAME|FILE", "printer profile for the default pixel size", OPT_PRINTER},
    {"max-pixels", 0, "N", "refuse images of more than N pixels (default 100000000)",
     OPT_MAX_PIXELS},
    {"output", 'o', "FILE", "the PNG to write (required)", OPT_OUTPUT},
    {0},
};

typedef struct render_args {
    const char *input, *output, *printer;
    double width_mm, height_mm, pixel_mm;
    long max_pixels;
} render_args;

/* Returns -1 when the arguments are complete, else the exit status. */
static int parse_args(cli_ctx *ctx, int argc, char **argv, render_args *a)
{
    const cli_command *cmd = &cmd_render;
    cli_parser p;
    if (cli_parser_init(&p, ctx, cmd, argc, argv))
        return CLI_EXIT_FAILURE;
    int id, rc = -1;
    const char *arg;
    while (rc < 0 && (id = cli_next_option(&p, &arg)) != CLI_OPT_END) {
        switch (id) {
        case CLI_OPT_HELP: rc = CLI_EXIT_OK; break;
        case CLI_OPT_ERROR: rc = CLI_EXIT_USAGE; break;
        case OPT_WIDTH:
            if (cli_parse_double(cmd, "--width-mm", arg, 0.001, 1e5, &a->width_mm))
                rc = CLI_EXIT_USAGE;
            break;
        case OPT_HEIGHT:
            if (cli_parse_double(cmd, "--height-mm", arg, 0.001, 1e5, &a->height_mm))
                rc = CLI_EXIT_USAGE;
            break;
        case OPT_PIXEL:
            if (cli_parse_double(cmd, "--pixel-mm", arg, 0.001, 100, &a->pixel_mm))
                rc = CLI_EXIT_USAGE;
            break;
        case OPT_MAX_PIXELS:
            if (cli_parse_int(cmd, "--max-pixels", arg, 1, 1000000000000L, &a->max_pixels))
                rc = CLI_EXIT_USAGE;
            break;
        case OPT_PRINTER: a->printer = arg; break;
        case OPT_OUTPUT: a->output = arg; break;
        default: break;
        }
    }
    int first = cli_operands(&p);
    cli_parser_free(&p);
    if (rc >= 0)
        return rc;
    if (first >= argc)
        return cli_usage_error(cmd, "no input image given");
    if (first + 1 < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[first + 1]);
    a->input = argv[first];
    if (!a->output)
        return cli_usage_error(cmd, "no output file given (use -o FILE)");
    if ((a->width_mm > 0) == (a->height_mm > 0))
        return cli_usage_error(cmd, "give either --width-mm or --height-mm");
    return -1;
}

/* Printed or not: alpha below one half becomes fully transparent (and
 * black), anything else fully opaque. */
static void threshold_alpha(unsigned char *rgba, size_t pixels)
{
    for (size_t i = 0; i < pixels; i++, rgba += 4) {
        if (rgba[3] < 128)
            rgba[0] = rgba[1] = rgba[2] = rgba[3] = 0;
        else
            rgba[3] = 255;
    }
}

static int run_render(cli_ctx *ctx, int argc, char **argv)
{
    render_args a = {0};
    int rc = parse_args(ctx, argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (a.pixel_mm <= 0) {
        fsk_printer printer;
        if ((rc = cli_printer(ctx, a.printer, &printer)) != 0)
            return rc;
        a.pixel_mm = printer.nozzle_mm;
        cli_verbose(ctx, "pixel size %g mm (nozzle of %s)", a.pixel_mm, printer.id);
    }
    fsk_grid_request req = {.width_mm = a.width_mm, .height_mm = a.height_mm,
                            .pixel_mm = a.pixel_mm, .max_pixels = (uint64_t)a.max_pixels};
    fsk_print_image img;
    fsk_image_info info;
    fsk_err err = {0};
    if (fsk_print_image_load(a.input, &req, &img, &info, &err))
        return cli_fail(&err);
    cli_verbose(ctx, "'%s': %s %dx%d, decoded at %dx%d, orientation %d", a.input,
                info.format, info.full_width, info.full_height, info.width, info.height,
                info.orientation);
    size_t pixels = (size_t)img.width * (size_t)img.height;
    unsigned char *rgba = malloc(pixels * 4);
    if (!rgba) {
        fsk_print_image_free(&img);
        cli_error("out of memory");
        return CLI_EXIT_FAILURE;
    }
    fsk_print_image_to_srgb8(&img, rgba);
    threshold_alpha(rgba, pixels);
    fsk_png_spec spec = {.width = img.width, .height = img.height, .channels = 4,
                         .bits = 8, .dpi = 25.4 / a.pixel_mm};
    rc = fsk_png_write(a.output, &spec, rgba, (size_t)img.width * 4, &err);
    free(rgba);
    if (rc == 0)
        cli_info(ctx, "wrote '%s': %dx%d pixels of %g mm (%g x %g mm)", a.output, img.width,
                 img.height, a.pixel_mm, img.width * a.pixel_mm, img.height * a.pixel_mm);
    fsk_print_image_free(&img);
    return rc ? cli_fail(&err) : CLI_EXIT_OK;
}

const cli_command cmd_render = {
    .name = "render",
    .operands = "INPUT",
    .summary = "show the artwork on the print pixel grid, as convert sees it",
    .description =
        "Decodes INPUT (PNG or JPEG), applies its EXIF orientation, resamples it\n"
        "to the print pixel grid (area average in linear light; pixel replication\n"
        "where the image is smaller than the grid) and writes it as an RGBA PNG\n"
        "that prints at true size. Pixels less than half covered are transparent.",
    .options = render_options,
    .run = run_render,
};
