/* jsw-wrap-box.c
 *
 * The detail pane's buttons, as many a line as fit at their natural
 * widths. On one line they sit at the line's end, as GNOME's dialogs
 * place theirs; once they need more lines, each line's buttons share its
 * whole width, as the stacked buttons of GNOME's adaptive apps do. Its
 * minimum width is its widest child's, whatever the window's layout was
 * when it was asked: a window opened 360 px wide (a phone) gets 360 px,
 * not the width of the buttons side by side (issue 10). libadwaita 1.2
 * has no wrapping box of its own (AdwWrapBox is 1.7), and GtkFlowBox
 * would wrap each button in a selectable, focusable child.
 *
 * Children are added with gtk_widget_set_parent() or a <child> in a
 * template; hidden children take no place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-wrap-box"

#include "config.h"

#include "jsw-wrap-box.h"

struct _JswWrapBox
{
  GtkWidget parent_instance;

  int       spacing;  /* px between buttons, and between lines */
};

G_DEFINE_FINAL_TYPE (JswWrapBox, jsw_wrap_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  GtkWidget *widget;
  int        minimum;  /* width, px */
  int        natural;
} Child;

/* Returns: (transfer full): the shown children, with their widths */
static GArray *
shown_children (JswWrapBox *self)
{
  GArray *children = g_array_new (FALSE, FALSE, sizeof (Child));

  for (GtkWidget *widget = gtk_widget_get_first_child (GTK_WIDGET (self)); widget != NULL;
       widget = gtk_widget_get_next_sibling (widget))
    {
      Child child = { widget, 0, 0 };

      if (!gtk_widget_should_layout (widget))
        continue;
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &child.minimum, &child.natural, NULL, NULL);
      g_array_append_val (children, child);
    }
  return children;
}

static Child *
child_at (GArray *children,
          guint   index)
{
  return &g_array_index (children, Child, index);
}

/* The index after the last child of the line that starts at @start: as
 * many as fit in @width at their natural widths, and at least one. */
static guint
line_end (JswWrapBox *self,
          GArray     *children,
          guint       start,
          int         width,
          int        *used)
{
  guint end = start;

  *used = 0;
  for (; end < children->len; end++)
    {
      int needed = (end > start ? self->spacing : 0) + child_at (children, end)->natural;

      if (end > start && *used + needed > width)
        break;
      *used += needed;
    }
  return end;
}

/* The width of the line's @index-th child: its natural width, plus, on a
 * box of several lines, its share of what the line leaves over (the
 * remainder to the line's last). Never more than the line. */
static int
width_in_line (Child   *child,
               guint    index,
               guint    n_in_line,
               int      left_over,
               gboolean shared,
               int      width)
{
  int share = shared && left_over > 0 ? left_over / (int) n_in_line : 0;

  if (shared && left_over > 0 && index == n_in_line - 1)
    share += left_over % (int) n_in_line;
  return MIN (child->natural + share, width);
}

/* Lays the children out in @width: their heights (px) as @minimum and
 * @natural, and with @allocate, their places. */
static void
lay_out (JswWrapBox *self,
         GArray     *children,
         int         width,
         gboolean    allocate,
         int        *minimum,
         int        *natural)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int used;
  gboolean one_line = line_end (self, children, 0, width, &used) == children->len;
  int y = 0;

  *minimum = *natural = 0;
  for (guint start = 0; start < children->len;)
    {
      guint end = line_end (self, children, start, width, &used);
      int left_over = width - used;
      int line_minimum = 0, line_natural = 0;
      /* One line sits at the end; lines share their width. */
      int x = one_line ? MAX (left_over, 0) : 0;

      for (guint i = start; i < end; i++)
        {
          Child *child = child_at (children, i);
          int child_width = width_in_line (child, i - start, end - start, left_over, !one_line, width);
          int child_minimum, child_natural;

          gtk_widget_measure (child->widget, GTK_ORIENTATION_VERTICAL, MAX (child_width, child->minimum),
                              &child_minimum, &child_natural, NULL, NULL);
          line_minimum = MAX (line_minimum, child_minimum);
          line_natural = MAX (line_natural, child_natural);
          if (allocate)
            {
              GtkAllocation place = { rtl ? width - x - child_width : x, y, MAX (child_width, child->minimum), 0 };

              place.height = child_natural;
              gtk_widget_size_allocate (child->widget, &place, -1);
            }
          x += child_width + self->spacing;
        }
      if (start > 0)
        {
          *minimum += self->spacing;
          *natural += self->spacing;
        }
      *minimum += line_minimum;
      *natural += line_natural;
      y += line_natural + self->spacing;
      start = end;
    }
}

static GtkSizeRequestMode
jsw_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
jsw_wrap_box_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  JswWrapBox *self = JSW_WRAP_BOX (widget);
  g_autoptr(GArray) children = shown_children (self);
  int widest = 0, all = 0;

  for (guint i = 0; i < children->len; i++)
    {
      widest = MAX (widest, child_at (children, i)->minimum);
      all += (i > 0 ? self->spacing : 0) + child_at (children, i)->natural;
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* As narrow as its widest child; all on one line at most. */
      *minimum = widest;
      *natural = all;
    }
  else
    /* Without a width, as tall as at its narrowest. */
    lay_out (self, children, for_size < 0 ? widest : MAX (for_size, widest), FALSE, minimum, natural);
}

static void
jsw_wrap_box_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  JswWrapBox *self = JSW_WRAP_BOX (widget);
  g_autoptr(GArray) children = shown_children (self);
  int minimum, natural;

  lay_out (self, children, width, TRUE, &minimum, &natural);
}

GtkWidget *
jsw_wrap_box_new (void)
{
  return g_object_new (JSW_TYPE_WRAP_BOX, NULL);
}

int
jsw_wrap_box_get_spacing (JswWrapBox *self)
{
  g_return_val_if_fail (JSW_IS_WRAP_BOX (self), 0);
  return self->spacing;
}

/* @spacing: px between children on a line, and between lines */
void
jsw_wrap_box_set_spacing (JswWrapBox *self,
                          int         spacing)
{
  g_return_if_fail (JSW_IS_WRAP_BOX (self));
  g_return_if_fail (spacing >= 0);

  if (self->spacing == spacing)
    return;
  self->spacing = spacing;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPACING]);
}

static void
jsw_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (jsw_wrap_box_parent_class)->dispose (object);
}

static void
jsw_wrap_box_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  JswWrapBox *self = JSW_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING: g_value_set_int (value, self->spacing); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_wrap_box_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  JswWrapBox *self = JSW_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING: jsw_wrap_box_set_spacing (self, g_value_get_int (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jsw_wrap_box_class_init (JswWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jsw_wrap_box_dispose;
  object_class->get_property = jsw_wrap_box_get_property;
  object_class->set_property = jsw_wrap_box_set_property;
  widget_class->get_request_mode = jsw_wrap_box_get_request_mode;
  widget_class->measure = jsw_wrap_box_measure;
  widget_class->size_allocate = jsw_wrap_box_size_allocate;

  properties[PROP_SPACING] = g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "wrapbox");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
jsw_wrap_box_init (JswWrapBox *self)
{
}
