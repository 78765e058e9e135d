/* jsw-swipe-card.c
 *
 * A posting of the feed as a card: the company, the title, its facts as
 * small pills (where, remote, salary, employment type, when it was
 * posted, in the person's words and time), where the application will run,
 * the questions the person still has to answer, and the description,
 * readable and scrollable. While the card is dragged, "Apply" or "Pass"
 * shows on it as far as the drag goes.
 *
 * Cards are reused: the deck keeps a few and gives each the next posting,
 * so swiping through hundreds of postings makes no new widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-swipe-card"

#include "config.h"

#include <glib/gi18n.h>

#include "jsw-swipe-card.h"

struct _JswSwipeCard
{
  GtkWidget    parent_instance;

  JsonObject  *posting;

  GtkLabel    *company_label;
  GtkLabel    *title_label;
  GtkBox      *facts;
  GtkImage    *where_icon;
  GtkLabel    *where_label;
  GtkWidget   *questions_box;
  GtkLabel    *questions_label;
  GtkScrolledWindow *scroller;
  GtkLabel    *description_label;
  GtkWidget   *content;
  GtkWidget   *apply_stamp;
  GtkWidget   *pass_stamp;
};

G_DEFINE_FINAL_TYPE (JswSwipeCard, jsw_swipe_card, GTK_TYPE_WIDGET)

static const struct {
  const char *type;
  const char *label;
} employment_types[] = {
  { "full_time", N_("Full-time") },
  { "part_time", N_("Part-time") },
  { "contract", N_("Contract") },
  { "temporary", N_("Temporary") },
  { "internship", N_("Internship") },
};

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/**
 * jsw_swipe_card_posted_text:
 * @posted_at: (nullable): RFC 3339, as POSTING's `posted_at`
 * @now: the time to count from
 *
 * Returns: (transfer full) (nullable): when it was posted, as a person
 *   says it ("Posted 3 days ago"), or %NULL without a readable time
 */
char *
jsw_swipe_card_posted_text (const char *posted_at,
                            GDateTime  *now)
{
  g_autoptr(GDateTime) posted = posted_at ? g_date_time_new_from_iso8601 (posted_at, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  int days;

  if (posted == NULL)
    return NULL;
  /* Days as the calendar on the wall counts them, not 24-hour spans. */
  local = g_date_time_to_local (posted);
  local_now = g_date_time_to_local (now);
  days = g_date_time_get_day_of_year (local_now) - g_date_time_get_day_of_year (local) +
         (g_date_time_get_year (local_now) - g_date_time_get_year (local)) * 365;
  if (days <= 0)
    return g_strdup (_("Posted today"));
  if (days == 1)
    return g_strdup (_("Posted yesterday"));
  if (days < 14)
    return g_strdup_printf (ngettext ("Posted %d day ago", "Posted %d days ago", days), days);
  if (days < 60)
    return g_strdup_printf (ngettext ("Posted %d week ago", "Posted %d weeks ago", days / 7), days / 7);
  return g_strdup_printf (ngettext ("Posted %d month ago", "Posted %d months ago", days / 30), days / 30);
}

/* Every card is told where it will be applied to after each swipe: only a
 * change is set, so that the frame after a swipe has nothing of the cards
 * to measure again (an icon set again is loaded again). */
static void
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

/* A line of facts: an icon, then the facts joined with " · ". */
static void
add_fact (JswSwipeCard *self,
          const char   *icon_name,
          const char   *text,
          const char   *tooltip)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "swipe-fact");
  gtk_widget_set_tooltip_text (box, tooltip ? tooltip : text);
  gtk_box_append (self->facts, box);
}

static void
clear_facts (JswSwipeCard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->facts))) != NULL)
    gtk_box_remove (self->facts, child);
}

static const char *
employment_label (const char *type)
{
  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (employment_types); i++)
    if (g_str_equal (type, employment_types[i].type))
      return _(employment_types[i].label);
  return NULL;
}

static void
show_facts (JswSwipeCard *self,
            JsonObject   *posting)
{
  JsonObject *extra = json_object_get_object_member (posting, "extra");
  const char *location = string_member (posting, "location");
  const char *salary = string_member (posting, "salary");
  const char *employment = employment_label (string_member (posting, "employment_type"));
  const char *posted_at = string_member (posting, "posted_at");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *posted = jsw_swipe_card_posted_text (posted_at, now);
  gboolean remote = extra != NULL && json_object_get_boolean_member_with_default (extra, "remote", FALSE);
  g_autoptr(GString) place = g_string_new (location);
  g_autoptr(GString) kind = g_string_new (employment);
  g_autofree char *day = NULL;

  clear_facts (self);
  /* Said once: a location of "Remote (EU)" already says it. */
  if (remote && (location == NULL || strstr (location, "Remote") == NULL))
    g_string_append_printf (place, "%s%s", place->len ? " · " : "", _("Remote"));
  if (place->len > 0)
    add_fact (self, "mark-location-symbolic", place->str, location);
  if (salary != NULL)
    add_fact (self, "jsw-salary-symbolic", salary, NULL);
  if (posted != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (posted_at, NULL);
      g_autoptr(GDateTime) local = g_date_time_to_local (when);

      /* TRANSLATORS: the day a posting was published, as a tooltip */
      day = g_date_time_format (local, _("Posted on %A, %e %B %Y"));
      g_string_append_printf (kind, "%s%s", kind->len ? " · " : "", posted);
    }
  if (kind->len > 0)
    add_fact (self, "x-office-calendar-symbolic", kind->str, day);
}

/**
 * jsw_swipe_card_set_posting:
 * @posting: (nullable): a POSTING of docs/server.md
 */
void
jsw_swipe_card_set_posting (JswSwipeCard *self,
                            JsonObject   *posting)
{
  const char *description;
  const char *title;
  const char *company;
  g_autofree char *name = NULL;

  g_return_if_fail (JSW_IS_SWIPE_CARD (self));

  if (posting == self->posting)
    return;
  g_clear_pointer (&self->posting, json_object_unref);
  if (posting == NULL)
    return;
  self->posting = json_object_ref (posting);
  title = string_member (posting, "title");
  company = string_member (posting, "company");
  description = string_member (posting, "description");
  gtk_label_set_label (self->title_label, title ? title : "");
  gtk_label_set_label (self->company_label, company ? company : "");
  gtk_label_set_label (self->description_label,
                       description && *description ? description : _("The employer gives no description."));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
  show_facts (self, posting);
  jsw_swipe_card_set_lean (self, 0);
  /* A new posting is read from its top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  /* TRANSLATORS: a card's name for a screen reader: "Backend Engineer at Acme" */
  name = g_strdup_printf (_("%s at %s"), title ? title : "", company ? company : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* Returns: (transfer none) (nullable) */
JsonObject *
jsw_swipe_card_get_posting (JswSwipeCard *self)
{
  g_return_val_if_fail (JSW_IS_SWIPE_CARD (self), NULL);

  return self->posting;
}

void
jsw_swipe_card_set_where (JswSwipeCard *self,
                          JswDeckWhere  where)
{
  const char *text = NULL;
  const char *icon = NULL;

  g_return_if_fail (JSW_IS_SWIPE_CARD (self));

  switch (where)
    {
    case JSW_DECK_WHERE_DESKTOP:
      /* Said of a posting not swiped yet: what Apply will do, never as if done. */
      text = _("Apply sends it from this computer");
      icon = "computer-symbolic";
      break;
    case JSW_DECK_WHERE_SERVER:
      text = _("Apply sends it from our servers, also while this computer is off");
      icon = "network-server-symbolic";
      break;
    case JSW_DECK_WHERE_ASK:
      text = _("You choose where it is applied to after swiping");
      icon = "dialog-question-symbolic";
      break;
    case JSW_DECK_WHERE_UNKNOWN:
    default:
      break;
    }
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->where_label)), text != NULL);
  if (text == NULL)
    return;
  set_label_text (self->where_label, text);
  if (g_strcmp0 (gtk_image_get_icon_name (self->where_icon), icon) != 0)
    gtk_image_set_from_icon_name (self->where_icon, icon);
}

/* @n_questions: the required questions of the posting's form that the
 * profile's answers do not cover; negative: not known (yet) */
void
jsw_swipe_card_set_unanswered (JswSwipeCard *self,
                               int           n_questions)
{
  g_autofree char *text = NULL;

  g_return_if_fail (JSW_IS_SWIPE_CARD (self));

  gtk_widget_set_visible (self->questions_box, n_questions > 0);
  if (n_questions <= 0)
    return;
  text = g_strdup_printf (ngettext ("Asks %d question you have not answered: you are asked before applying",
                                    "Asks %d questions you have not answered: you are asked before applying",
                                    n_questions), n_questions);
  set_label_text (self->questions_label, text);
}

/* @lean: -1 (all the way to Pass) to 1 (all the way to Apply) */
void
jsw_swipe_card_set_lean (JswSwipeCard *self,
                         double        lean)
{
  g_return_if_fail (JSW_IS_SWIPE_CARD (self));

  gtk_widget_set_opacity (self->apply_stamp, CLAMP (lean * 2, 0, 1));
  gtk_widget_set_opacity (self->pass_stamp, CLAMP (-lean * 2, 0, 1));
}

/* @reveal: 0 for a card behind others, whose edge only peeks out (its
 * text would be noise there), to 1 for the front card */
void
jsw_swipe_card_set_reveal (JswSwipeCard *self,
                           double        reveal)
{
  g_return_if_fail (JSW_IS_SWIPE_CARD (self));

  gtk_widget_set_opacity (self->content, CLAMP (reveal, 0, 1));
}

/* What the card shows (for tests and the test driver): "title",
 * "company", "description", "questions", "where", "facts" (joined with
 * " · "). */
const char *
jsw_swipe_card_get_text (JswSwipeCard *self,
                         const char   *part)
{
  g_return_val_if_fail (JSW_IS_SWIPE_CARD (self), NULL);

  if (g_str_equal (part, "title"))
    return gtk_label_get_label (self->title_label);
  if (g_str_equal (part, "company"))
    return gtk_label_get_label (self->company_label);
  if (g_str_equal (part, "description"))
    return gtk_label_get_label (self->description_label);
  if (g_str_equal (part, "questions"))
    return gtk_widget_get_visible (self->questions_box) ? gtk_label_get_label (self->questions_label) : "";
  if (g_str_equal (part, "where"))
    return gtk_label_get_label (self->where_label);
  if (g_str_equal (part, "facts"))
    {
      GString *facts = g_string_new (NULL);

      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->facts)); row != NULL;
           row = gtk_widget_get_next_sibling (row))
        g_string_append_printf (facts, "%s%s", facts->len ? " · " : "",
                                gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (row))));
      /* Kept with the card until the next call, as the labels' texts are. */
      g_object_set_data_full (G_OBJECT (self), "jsw-facts", g_string_free (facts, FALSE), g_free);
      return g_object_get_data (G_OBJECT (self), "jsw-facts");
    }
  return NULL;
}

static void
jsw_swipe_card_dispose (GObject *object)
{
  JswSwipeCard *self = JSW_SWIPE_CARD (object);

  g_clear_pointer (&self->posting, json_object_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), JSW_TYPE_SWIPE_CARD);
  G_OBJECT_CLASS (jsw_swipe_card_parent_class)->dispose (object);
}

static void
jsw_swipe_card_class_init (JswSwipeCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = jsw_swipe_card_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "swipecard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/jobswipe/JobSwipe/ui/jsw-swipe-card.ui");
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, company_label);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, facts);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, where_icon);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, where_label);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, questions_box);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, questions_label);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, scroller);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, description_label);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, content);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, apply_stamp);
  gtk_widget_class_bind_template_child (widget_class, JswSwipeCard, pass_stamp);
}

static void
jsw_swipe_card_init (JswSwipeCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jsw_swipe_card_new (void)
{
  return g_object_new (JSW_TYPE_SWIPE_CARD, NULL);
}
