/*
 * fsk_labels.h — the label map that links color matching to the later
 * stages.
 *
 * A label map is a uint16_t labels[width*height], row 0 the top of the
 * artwork as seen from its viewing side, pixel (x, y) at labels[y*width+x].
 * A value is a calibration entry index (0..entry_count-1), or one of the
 * two special values below. Entry indices are therefore below
 * FSK_LABEL_BACKING, so a calibration used with label maps holds at most
 * FSK_LABEL_MAX_ENTRIES entries.
 */
#ifndef FSK_LABELS_H
#define FSK_LABELS_H

#include <stdint.h>

#define FSK_LABEL_EMPTY ((uint16_t)0xFFFF)   /* nothing printed */
#define FSK_LABEL_BACKING ((uint16_t)0xFFFE) /* only the backing printed */
#define FSK_LABEL_MAX_ENTRIES 0xFFFE

/* True for the two transparent values, which stages never invent or alter. */
static inline int fsk_label_is_transparent(uint16_t label)
{
    return label >= FSK_LABEL_BACKING;
}

#endif
