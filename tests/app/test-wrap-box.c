/* test-wrap-box.c: the detail pane's row of buttons (JswWrapBox) is as
 * narrow as its widest button, and wraps rather than clip one
 *
 * Real buttons in a real window under Xvfb (as the suite runs); what is
 * checked is where each button is put, as a person would find it: inside
 * the box, none over another, in their order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-wrap-box.h"

#define SPACING 6

static const char *labels[] = { "Open Posting", "Cancel Application", "Fix in Profile", "Later", "Retry" };

typedef struct {
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *buttons[G_N_ELEMENTS (labels)];
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = gtk_window_new ();
  f->box = jsw_wrap_box_new ();
  jsw_wrap_box_set_spacing (JSW_WRAP_BOX (f->box), SPACING);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      f->buttons[i] = gtk_button_new_with_label (labels[i]);
      gtk_widget_set_parent (f->buttons[i], f->box);
    }
  gtk_window_set_child (GTK_WINDOW (f->window), f->box);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static int
width_of (GtkWidget *widget,
          gboolean   natural)
{
  int minimum, wanted;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &wanted, NULL, NULL);
  return natural ? wanted : minimum;
}

/* Allocates the box @width px wide, as a window of that width would. */
static void
allocate (Fixture *f,
          int      width)
{
  int height;

  gtk_widget_measure (f->box, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  gtk_widget_size_allocate (f->box, &(GtkAllocation) { 0, 0, width, height }, -1);
}

static graphene_rect_t
place_of (Fixture   *f,
          GtkWidget *button)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (button, f->box, &bounds));
  return bounds;
}

/* Every shown button inside @width, none over another, in their order
 * (left to right, then down). Returns the number of lines. */
static guint
assert_laid_out (Fixture *f,
                 int      width)
{
  guint lines = 0;
  graphene_rect_t last = GRAPHENE_RECT_INIT (0, -1, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      graphene_rect_t place;

      if (!gtk_widget_get_visible (f->buttons[i]))
        continue;
      place = place_of (f, f->buttons[i]);
      g_assert_cmpfloat (place.origin.x, >=, 0);
      g_assert_cmpfloat (place.origin.x + place.size.width, <=, width);
      g_assert_cmpfloat (place.size.width, >=, width_of (f->buttons[i], FALSE));
      if (place.origin.y > last.origin.y)
        lines++;
      else
        g_assert_cmpfloat (place.origin.x, >=, last.origin.x + last.size.width + SPACING);
      g_assert_cmpfloat (place.origin.y, >=, last.origin.y);
      last = place;
    }
  return lines;
}

/* As narrow as its widest button; as wide as all of them side by side. */
static void
test_measure (Fixture       *f,
              gconstpointer  data)
{
  int widest = 0, all = 0;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      widest = MAX (widest, width_of (f->buttons[i], FALSE));
      all += width_of (f->buttons[i], TRUE) + (i > 0 ? SPACING : 0);
    }
  g_assert_cmpint (width_of (f->box, FALSE), ==, widest);
  g_assert_cmpint (width_of (f->box, TRUE), ==, all);
  /* A hidden button takes no place. */
  all -= width_of (f->buttons[1], TRUE) + SPACING;
  gtk_widget_set_visible (f->buttons[1], FALSE);
  g_assert_cmpint (width_of (f->box, TRUE), ==, all);
}

/* With room, one line at the end of the box, as GNOME's dialogs put their
 * buttons. */
static void
test_one_line (Fixture       *f,
               gconstpointer  data)
{
  int all = width_of (f->box, TRUE);
  graphene_rect_t last;

  allocate (f, all + 200);
  g_assert_cmpuint (assert_laid_out (f, all + 200), ==, 1);
  last = place_of (f, f->buttons[G_N_ELEMENTS (labels) - 1]);
  g_assert_cmpfloat (last.origin.x + last.size.width, ==, all + 200);
  g_assert_cmpfloat (place_of (f, f->buttons[0]).origin.x, ==, 200);
}

/* Too narrow for one line: more lines, each as wide as the box; at its
 * minimum width, the widest button has a line of its own. */
static void
test_wraps (Fixture       *f,
            gconstpointer  data)
{
  int narrowest = width_of (f->box, FALSE);
  int height_one_line, height_wrapped;

  allocate (f, narrowest);
  g_assert_cmpuint (assert_laid_out (f, narrowest), >, 1);
  g_assert_cmpfloat (place_of (f, f->buttons[1]).size.width, ==, narrowest);
  /* Taller when wrapped: the window makes room for every line. */
  gtk_widget_measure (f->box, GTK_ORIENTATION_VERTICAL, width_of (f->box, TRUE), NULL, &height_one_line, NULL, NULL);
  gtk_widget_measure (f->box, GTK_ORIENTATION_VERTICAL, narrowest, NULL, &height_wrapped, NULL, NULL);
  g_assert_cmpint (height_wrapped, >, height_one_line);

  /* 360 px less the pane's margins: two lines, the second's buttons
   * sharing its width. */
  allocate (f, 300);
  g_assert_cmpuint (assert_laid_out (f, 300), >=, 2);
  {
    graphene_rect_t last = place_of (f, f->buttons[G_N_ELEMENTS (labels) - 1]);

    g_assert_cmpfloat (last.origin.x + last.size.width, ==, 300);
  }
}

/* Right to left: the order runs from the right. */
static void
test_right_to_left (Fixture       *f,
                    gconstpointer  data)
{
  int all = width_of (f->box, TRUE);

  gtk_widget_set_direction (f->box, GTK_TEXT_DIR_RTL);
  allocate (f, all);
  g_assert_cmpfloat (place_of (f, f->buttons[0]).origin.x + place_of (f, f->buttons[0]).size.width, ==, all);
  g_assert_cmpfloat (place_of (f, f->buttons[G_N_ELEMENTS (labels) - 1]).origin.x, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP needs a display (tools/run-tests starts one)\n");
      return 0;
    }

  g_test_add ("/app/wrap-box/measure", Fixture, NULL, fixture_set_up, test_measure, fixture_tear_down);
  g_test_add ("/app/wrap-box/one-line", Fixture, NULL, fixture_set_up, test_one_line, fixture_tear_down);
  g_test_add ("/app/wrap-box/wraps", Fixture, NULL, fixture_set_up, test_wraps, fixture_tear_down);
  g_test_add ("/app/wrap-box/right-to-left", Fixture, NULL, fixture_set_up, test_right_to_left, fixture_tear_down);
  return g_test_run ();
}
