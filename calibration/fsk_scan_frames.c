/*
 * fsk_scan_frames.c — turns the byte streams of SANE frames into one
 * image: line accumulation across arbitrary reads, stride and padding,
 * 1/8/16-bit samples, three-pass channel interleaving and growth for scans
 * of unknown length, all within a memory bound.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fsk_scan_frames.h"

struct fsk_scan_frames {
    uint64_t max_bytes;
    /* the image, fixed by the first frame */
    int started;
    int width, channels, bits;
    int height;          /* known line count, or -1 while unknown */
    size_t row_bytes;    /* width * channels * bits / 8 */
    unsigned char *pixels;
    int rows_allocated;
    int rows_done;       /* rows the first frame delivered */
    int three_pass;
    unsigned channels_seen; /* bit c: channel c of a three-pass image ended */
    int frames_ended;
    /* the current frame */
    int in_frame;
    fsk_frame_params cur;
    int y;               /* next line of the current frame */
    unsigned char *line; /* bytes_per_line bytes being filled */
    size_t fill;
};

fsk_scan_frames *fsk_scan_frames_create(uint64_t max_bytes)
{
    fsk_scan_frames *f = calloc(1, sizeof *f);
    if (f)
        f->max_bytes = max_bytes;
    return f;
}

void fsk_scan_frames_free(fsk_scan_frames *f)
{
    if (!f)
        return;
    free(f->pixels);
    free(f->line);
    free(f);
}

static int channel_of(fsk_frame_format fmt)
{
    switch (fmt) {
    case FSK_FRAME_GREEN: return 1;
    case FSK_FRAME_BLUE: return 2;
    default: return 0;
    }
}

static const char *format_name(fsk_frame_format fmt)
{
    switch (fmt) {
    case FSK_FRAME_GRAY: return "gray";
    case FSK_FRAME_RGB: return "RGB";
    case FSK_FRAME_RED: return "red";
    case FSK_FRAME_GREEN: return "green";
    case FSK_FRAME_BLUE: return "blue";
    }
    return "unknown";
}

static int too_large(const fsk_scan_frames *f, fsk_err *err)
{
    if (f->max_bytes >= (1u << 20))
        return fsk_err_set(err, FSK_ELIMIT, "scan is larger than the limit of %llu MB",
                           (unsigned long long)(f->max_bytes >> 20));
    return fsk_err_set(err, FSK_ELIMIT, "scan is larger than the limit of %llu bytes",
                       (unsigned long long)f->max_bytes);
}

/* Makes room for at least rows rows (growing geometrically). */
static int reserve_rows(fsk_scan_frames *f, int rows, fsk_err *err)
{
    if (rows <= f->rows_allocated)
        return 0;
    uint64_t want = f->rows_allocated ? 2 * (uint64_t)f->rows_allocated : 64;
    if (want < (uint64_t)rows)
        want = (uint64_t)rows;
    uint64_t cap_rows = f->max_bytes / f->row_bytes;
    if ((uint64_t)rows > cap_rows)
        return too_large(f, err);
    if (want > cap_rows)
        want = cap_rows;
    if (want > INT_MAX)
        want = INT_MAX;
    unsigned char *p = realloc(f->pixels, (size_t)(want * f->row_bytes));
    if (!p)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory for a %llu MB scan",
                           (unsigned long long)((want * f->row_bytes) >> 20));
    /* Rows a three-pass image has not filled yet stay black, not garbage. */
    memset(p + (size_t)f->rows_allocated * f->row_bytes, 0,
           (size_t)(want - (uint64_t)f->rows_allocated) * f->row_bytes);
    f->pixels = p;
    f->rows_allocated = (int)want;
    return 0;
}

static int check_params(const fsk_frame_params *p, fsk_err *err)
{
    if (p->format < FSK_FRAME_GRAY || p->format > FSK_FRAME_BLUE)
        return fsk_err_set(err, FSK_EFORMAT, "scanner sent a frame of unknown format %d",
                           (int)p->format);
    if (p->depth != 1 && p->depth != 8 && p->depth != 16)
        return fsk_err_set(err, FSK_EFORMAT,
                           "scanner sent %d-bit samples (filastack reads 1, 8 and 16)",
                           p->depth);
    if (p->pixels_per_line < 1 || p->pixels_per_line > (1 << 24) || p->lines == 0 ||
        p->lines < -1 || p->bytes_per_line < 1 || p->bytes_per_line > (1 << 28))
        return fsk_err_set(err, FSK_EFORMAT,
                           "scanner sent impossible parameters (%d pixels, %d lines, "
                           "%d bytes per line)",
                           p->pixels_per_line, p->lines, p->bytes_per_line);
    int in_ch = p->format == FSK_FRAME_RGB ? 3 : 1;
    uint64_t bits = (uint64_t)p->pixels_per_line * (uint64_t)in_ch * (uint64_t)p->depth;
    if ((uint64_t)p->bytes_per_line * 8 < bits)
        return fsk_err_set(err, FSK_EFORMAT,
                           "scanner sent %d bytes per line, too few for %d %s pixels of "
                           "%d bits",
                           p->bytes_per_line, p->pixels_per_line, format_name(p->format),
                           p->depth);
    return 0;
}

static int begin_first(fsk_scan_frames *f, const fsk_frame_params *p, fsk_err *err)
{
    f->three_pass = p->format >= FSK_FRAME_RED;
    if (!f->three_pass && !p->last_frame)
        return fsk_err_set(err, FSK_EUNSUPPORTED,
                           "scanner sends a %s frame followed by more frames, which "
                           "filastack does not read",
                           format_name(p->format));
    f->started = 1;
    f->width = p->pixels_per_line;
    f->channels = p->format == FSK_FRAME_GRAY ? 1 : 3;
    f->bits = p->depth == 16 ? 16 : 8;
    f->height = p->lines;
    f->row_bytes = (size_t)f->width * (size_t)f->channels * (size_t)(f->bits / 8);
    if (p->lines > 0)
        return reserve_rows(f, p->lines, err);
    return 0;
}

static int begin_next(fsk_scan_frames *f, const fsk_frame_params *p, fsk_err *err)
{
    if (!f->three_pass || p->format < FSK_FRAME_RED)
        return fsk_err_set(err, FSK_EFORMAT, "scanner sent an unexpected %s frame",
                           format_name(p->format));
    if (f->channels_seen & (1u << channel_of(p->format)))
        return fsk_err_set(err, FSK_EFORMAT, "scanner sent the %s frame twice",
                           format_name(p->format));
    int lines = f->height > 0 ? f->height : f->rows_done;
    if (p->pixels_per_line != f->width || (p->depth == 16) != (f->bits == 16) ||
        (p->lines != -1 && p->lines != lines))
        return fsk_err_set(err, FSK_EFORMAT,
                           "scanner sent a %s frame of %dx%d pixels at %d bits after "
                           "one of %dx%d",
                           format_name(p->format), p->pixels_per_line, p->lines, p->depth,
                           f->width, lines);
    return 0;
}

int fsk_scan_frames_begin(fsk_scan_frames *f, const fsk_frame_params *p, fsk_err *err)
{
    int rc = check_params(p, err);
    if (rc)
        return rc;
    if (f->in_frame)
        return fsk_err_set(err, FSK_EFORMAT, "scanner started a frame before the last ended");
    rc = f->started ? begin_next(f, p, err) : begin_first(f, p, err);
    if (rc)
        return rc;
    unsigned char *line = realloc(f->line, (size_t)p->bytes_per_line);
    if (!line)
        return fsk_err_set(err, FSK_ENOMEM, "out of memory");
    f->line = line;
    f->cur = *p;
    f->y = 0;
    f->fill = 0;
    f->in_frame = 1;
    return 0;
}

/* The SANE sample at index i of a line (samples counted across channels). */
static unsigned sample8(const fsk_scan_frames *f, const unsigned char *src, size_t i)
{
    if (f->cur.depth == 8)
        return src[i];
    unsigned bit = (src[i >> 3] >> (7 - (i & 7))) & 1u;
    /* SANE line art: 1 is black in a gray frame, full intensity in a color one. */
    if (f->cur.format == FSK_FRAME_GRAY)
        return bit ? 0 : 255;
    return bit ? 255 : 0;
}

static void convert_line(const fsk_scan_frames *f, const unsigned char *src,
                         unsigned char *row)
{
    int in_ch = f->cur.format == FSK_FRAME_RGB ? 3 : 1;
    int off = channel_of(f->cur.format);
    int out_ch = f->channels;
    for (int x = 0; x < f->width; x++) {
        for (int c = 0; c < in_ch; c++) {
            size_t i = (size_t)x * (size_t)in_ch + (size_t)c;
            size_t o = (size_t)x * (size_t)out_ch + (size_t)(off + c);
            if (f->cur.depth == 16)
                memcpy(row + 2 * o, src + 2 * i, 2); /* host order in and out */
            else
                row[o] = (unsigned char)sample8(f, src, i);
        }
    }
}

static int emit_line(fsk_scan_frames *f, fsk_err *err)
{
    int first = f->frames_ended == 0;
    if (f->height > 0) {
        if (f->y >= f->height)
            return 0; /* more than announced: ignored */
    } else if (first) {
        int rc = reserve_rows(f, f->y + 1, err);
        if (rc)
            return rc;
    } else if (f->y >= f->rows_done) {
        return 0;
    }
    convert_line(f, f->line, f->pixels + (size_t)f->y * f->row_bytes);
    f->y++;
    return 0;
}

int fsk_scan_frames_feed(fsk_scan_frames *f, const void *data, size_t n, fsk_err *err)
{
    if (!f->in_frame)
        return fsk_err_set(err, FSK_EFORMAT, "scanner sent data outside a frame");
    const unsigned char *p = data;
    size_t bpl = (size_t)f->cur.bytes_per_line;
    while (n > 0) {
        size_t take = bpl - f->fill;
        if (take > n)
            take = n;
        memcpy(f->line + f->fill, p, take);
        f->fill += take;
        p += take;
        n -= take;
        if (f->fill == bpl) {
            f->fill = 0;
            int rc = emit_line(f, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int fsk_scan_frames_end(fsk_scan_frames *f, fsk_err *err)
{
    if (!f->in_frame)
        return fsk_err_set(err, FSK_EFORMAT, "scanner ended a frame it did not start");
    f->in_frame = 0;
    int first = f->frames_ended == 0;
    int want = f->height > 0 ? f->height : (first ? -1 : f->rows_done);
    if (f->y == 0)
        return fsk_err_set(err, FSK_EFORMAT, "scanner sent no image data");
    if (want > 0 && f->y < want)
        return fsk_err_set(err, FSK_EFORMAT, "scan ended early: %d of %d lines received",
                           f->y, want);
    if (first)
        f->rows_done = f->y;
    f->channels_seen |= 1u << channel_of(f->cur.format);
    f->frames_ended++;
    return 0;
}

int fsk_scan_frames_finish(fsk_scan_frames *f, fsk_scan_image *img, fsk_err *err)
{
    if (f->in_frame || f->frames_ended == 0)
        return fsk_err_set(err, FSK_EFORMAT, "scanner did not finish the image");
    if (f->three_pass && f->channels_seen != 7u)
        return fsk_err_set(err, FSK_EFORMAT,
                           "scanner sent only %d of the 3 color frames of a three-pass scan",
                           f->frames_ended);
    memset(img, 0, sizeof *img);
    img->width = f->width;
    img->height = f->rows_done;
    img->channels = f->channels;
    img->bits = f->bits;
    img->stride = f->row_bytes;
    img->pixels = f->pixels;
    f->pixels = NULL;
    f->rows_allocated = 0;
    return 0;
}
