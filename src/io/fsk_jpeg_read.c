/*
 * fsk_jpeg_read.c — JPEG input through libjpeg(-turbo), read from memory.
 * Baseline, progressive and arithmetic-coded files; grayscale, YCbCr and
 * RGB come out as RGBA straight from libjpeg-turbo (JCS_EXT_RGBA), CMYK and
 * YCCK are converted here (Adobe files store inverted CMYK). The image is
 * decoded at the smallest N/8 scale that still covers the size the sink
 * asks for. libjpeg's setjmp/error_exit handling stays in this file, and
 * its warnings about corrupt or missing data are errors here: a JPEG either
 * decodes cleanly or is refused.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "fsk_exif.h"
#include "fsk_image_formats.h"

enum {
    BATCH_ROWS = 16, /* rows per sink call */
    /* Valid progressive files have a few dozen scans at most; a flood of
     * tiny scans is a known way to make decoders spin. */
    MAX_SCANS = 500
};

typedef struct jpeg_state {
    struct jpeg_error_mgr pub;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    int failed, truncated, too_many_scans;
    char message[JMSG_LENGTH_MAX];
    unsigned char *pixels; /* the batch of delivered rows; freed by the caller */
} jpeg_state;

static void fail(j_common_ptr cinfo)
{
    jpeg_state *st = (jpeg_state *)cinfo->err;
    int code = st->pub.msg_code;
    if (code == JERR_INPUT_EOF || code == JWRN_JPEG_EOF)
        st->truncated = 1;
    st->pub.format_message(cinfo, st->message);
    st->failed = 1;
    longjmp(st->jump, 1);
}

/* Warnings mean damaged data (a premature end, a bad Huffman code, a lost
 * marker); all but the harmless ones below stop the decoding. */
static void on_message(j_common_ptr cinfo, int level)
{
    if (level >= 0)
        return; /* trace messages */
    switch (cinfo->err->msg_code) {
    case JWRN_ADOBE_XFORM:      /* unknown Adobe transform code: the default is right */
    case JWRN_JFIF_MAJOR:       /* a newer JFIF version */
    case JWRN_BOGUS_ICC:        /* a broken ICC profile, which we ignore */
    case JWRN_EXTRANEOUS_DATA:  /* padding before a marker; the data is intact */
        return;
    default:
        fail(cinfo);
    }
}

static void on_progress(j_common_ptr cinfo)
{
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    jpeg_state *st = (jpeg_state *)cinfo->err;
    if (d->progressive_mode && d->input_scan_number > MAX_SCANS) {
        st->too_many_scans = 1;
        st->failed = 1;
        longjmp(st->jump, 1);
    }
}

/* The orientation and resolution of the first readable EXIF APP1 segment. */
static fsk_exif read_exif(j_decompress_ptr cinfo)
{
    fsk_exif exif = {0};
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 &&
            fsk_exif_parse(m->data, m->data_length, &exif) == 0)
            break;
        memset(&exif, 0, sizeof exif); /* a broken segment tells nothing */
    }
    return exif;
}

static void density_dpi(j_decompress_ptr cinfo, const fsk_exif *exif, fsk_image_info *ii)
{
    if (cinfo->saw_JFIF_marker && cinfo->X_density > 0 && cinfo->Y_density > 0 &&
        (cinfo->density_unit == 1 || cinfo->density_unit == 2)) {
        double per_inch = cinfo->density_unit == 1 ? 1.0 : 2.54;
        ii->dpi_x = cinfo->X_density * per_inch;
        ii->dpi_y = cinfo->Y_density * per_inch;
    } else {
        ii->dpi_x = exif->dpi_x;
        ii->dpi_y = exif->dpi_y;
    }
}

/* The smallest N/8 scale whose output still covers min_w x min_h. */
static void choose_scale(j_decompress_ptr cinfo, int min_w, int min_h)
{
    cinfo->scale_denom = 8;
    for (unsigned n = 1; n <= 8; n++) {
        cinfo->scale_num = n;
        jpeg_calc_output_dimensions(cinfo);
        if (cinfo->output_width >= (JDIMENSION)min_w &&
            cinfo->output_height >= (JDIMENSION)min_h)
            return;
    }
}

/* CMYK to RGBA in place. Adobe's files store 255 - ink, so a stored value
 * is already the fraction of light the ink lets through. */
static void cmyk_to_rgba(unsigned char *p, size_t pixels, int inverted)
{
    for (size_t i = 0; i < pixels; i++, p += 4) {
        unsigned c = p[0], m = p[1], y = p[2], k = p[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        p[0] = (unsigned char)((c * k + 127) / 255);
        p[1] = (unsigned char)((m * k + 127) / 255);
        p[2] = (unsigned char)((y * k + 127) / 255);
        p[3] = 255;
    }
}

/* Everything that may longjmp, kept apart so no local of the caller is
 * clobbered; memory lives in st so the caller frees it either way. */
static int read_jpeg(j_decompress_ptr cinfo, jpeg_state *st, const char *name,
                     const unsigned char *data, size_t size, uint64_t max_pixels,
                     const fsk_row_sink *sink, fsk_err *err)
{
    if (setjmp(st->jump))
        return FSK_EFORMAT;
    /* Created here, under setjmp: creation itself may fail. */
    jpeg_create_decompress(cinfo);
    st->progress.progress_monitor = on_progress;
    cinfo->progress = &st->progress;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(cinfo, TRUE);
    int rc = fsk_image_check_size(name, "JPEG", cinfo->image_width,
                                  cinfo->image_height, max_pixels, err);
    if (rc)
        return rc;
    int cmyk = 0;
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
        cinfo->out_color_space = JCS_EXT_RGBA;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        cinfo->out_color_space = JCS_CMYK;
        cmyk = 1;
        break;
    default:
        return fsk_err_set(err, FSK_EUNSUPPORTED,
                           "'%s': JPEG with %d color components is not supported", name,
                           cinfo->num_components);
    }
    fsk_exif exif = read_exif(cinfo);
    fsk_image_info ii = {.format = "JPEG", .full_width = (int)cinfo->image_width,
                         .full_height = (int)cinfo->image_height,
                         .orientation = exif.orientation ? exif.orientation : 1,
                         .bits = 8};
    ii.width = ii.full_width;
    ii.height = ii.full_height;
    density_dpi(cinfo, &exif, &ii);
    int min_w = ii.width, min_h = ii.height;
    if (sink->plan && (rc = sink->plan(sink->ctx, &ii, &min_w, &min_h, err)) != 0)
        return rc;
    choose_scale(cinfo, min_w, min_h);

    jpeg_start_decompress(cinfo);
    if (cinfo->output_components != 4)
        return fsk_err_set(err, FSK_EUNSUPPORTED, "'%s': unexpected JPEG output format",
                           name);
    ii.width = (int)cinfo->output_width;
    ii.height = (int)cinfo->output_height;
    if (sink->begin && (rc = sink->begin(sink->ctx, &ii, err)) != 0)
        return rc;

    size_t stride = (size_t)ii.width * 4;
    /* A whole number of libjpeg's preferred row groups (rec_outbuf_height
     * is 1, 2 or 4 rows), so every call fills its rows directly. */
    int batch = BATCH_ROWS;
    st->pixels = malloc(stride * BATCH_ROWS);
    if (!st->pixels)
        return fsk_err_set(err, FSK_ENOMEM, "'%s': out of memory", name);
    JSAMPROW rows[BATCH_ROWS];
    for (int k = 0; k < batch; k++)
        rows[k] = st->pixels + stride * (size_t)k;
    while (cinfo->output_scanline < cinfo->output_height) {
        int y = (int)cinfo->output_scanline, n = 0;
        while (n < batch && cinfo->output_scanline < cinfo->output_height) {
            JDIMENSION got = jpeg_read_scanlines(cinfo, rows + n, (JDIMENSION)(batch - n));
            if (got == 0) /* cannot happen with memory input; guard against a loop */
                return fsk_err_set(err, FSK_EFORMAT, "'%s': truncated JPEG data", name);
            n += (int)got;
        }
        if (cmyk)
            cmyk_to_rgba(st->pixels, (size_t)ii.width * (size_t)n,
                         cinfo->saw_Adobe_marker);
        if ((rc = sink->rows(sink->ctx, y, n, st->pixels, stride, err)) != 0)
            return rc;
    }
    return 0;
}

int fsk_jpeg_decode(const char *name, const unsigned char *data, size_t size,
                    uint64_t max_pixels, const fsk_row_sink *sink, fsk_err *err)
{
    struct jpeg_decompress_struct cinfo;
    jpeg_state st;
    memset(&cinfo, 0, sizeof cinfo); /* so destroying a failed creation is safe */
    memset(&st, 0, sizeof st);
    cinfo.err = jpeg_std_error(&st.pub);
    st.pub.error_exit = fail;
    st.pub.emit_message = on_message;
    int rc = read_jpeg(&cinfo, &st, name, data, size, max_pixels, sink, err);
    jpeg_destroy_decompress(&cinfo);
    free(st.pixels);
    if (st.failed) {
        if (st.truncated)
            return fsk_err_set(err, FSK_EFORMAT, "'%s': truncated JPEG data", name);
        if (st.too_many_scans)
            return fsk_err_set(err, FSK_EFORMAT,
                               "'%s': corrupt JPEG data: more than %d progressive scans",
                               name, MAX_SCANS);
        /* libjpeg's warnings already start with the words we use. */
        const char *msg = st.message;
        static const char lead[] = "Corrupt JPEG data: ";
        if (strncmp(msg, lead, sizeof lead - 1) == 0)
            msg += sizeof lead - 1;
        char tidy[JMSG_LENGTH_MAX];
        snprintf(tidy, sizeof tidy, "%s", msg);
        return fsk_err_set(err, FSK_EFORMAT, "'%s': corrupt JPEG data: %s", name,
                           fsk_image_tidy_message(tidy));
    }
    return rc;
}
