/* jsw-deck-view.c
 *
 * The deck's cards, stacked: the front posting's card on top, the next
 * two behind it, already filled in, so the next card is there the moment
 * the front one goes. Three cards are made once and passed round.
 *
 * The front card follows a drag (pointer or touch: a GtkGestureDrag that
 * claims the sequence once it moves more sideways than up or down, so the
 * description still scrolls; touchpad: horizontal scrolling), tilting
 * about a point below the card as a hand-held card does. A release past
 * JSW_DECK_VIEW_THRESHOLD of its width, or a flick, throws it out
 * (AdwTimedAnimation); a shorter one springs it back (AdwSpringAnimation).
 * Before a card is thrown the view asks (::throw-requested) whether it
 * may go: the page says no to an Apply whose questions are unanswered.
 *
 * The frame after a swipe is to be drawn in one frame's time (issue 13),
 * so it lays out nothing new: the card that comes to the front was the
 * second, filled in and laid out already, and the thrown card goes to the
 * back, hidden behind the two others, still showing its old posting. It
 * takes its next posting only once that frame is painted (fill_back_later),
 * when laying out its description costs the person nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-deck-view"

#include "config.h"

#include "jsw-deck-view.h"

#define N_CARDS          3
/* A release faster than this (px/s) throws the card however far it went. */
#define FLICK_VELOCITY   1200.0
/* Degrees of tilt when the card is dragged its own width. */
#define MAX_TILT         14.0
#define THROW_MS         220
/* Where cards behind the front one peek out below it. */
#define PEEK_PX          10.0
/* Work put off until a frame is painted runs once the frame's work is
 * over, and before GTK's next frame (GDK_PRIORITY_REDRAW), which shows it. */
#define LATER_PRIORITY   (G_PRIORITY_HIGH_IDLE + 10)

struct _JswDeckView
{
  GtkWidget       parent_instance;

  JswDeckModel   *model;
  JswSwipeCard   *cards[N_CARDS];
  guint           front;          /* index into cards */
  double          offset;         /* px the front card is moved sideways */
  double          lift;           /* px up or down */
  double          drag_start;     /* the offset the drag took the card at */
  gboolean        dragging;
  gint64          last_time;      /* of the last drag update, µs, for the release's speed */
  double          last_offset;
  double          velocity;       /* px/s */
  AdwAnimation   *animation;
  gboolean        throwing_right;
  gboolean        throwing;
  gboolean        back_later;     /* in a swipe: the back card is filled in after its frame */
  gboolean        filling;        /* it waits for that */
  GPtrArray      *later;          /* of Later: for after the frame being made */
  GdkFrameClock  *painted_clock;  /* while they wait for it to be painted */
  gulong          painted_id;     /* its ::after-paint */
  guint           later_id;       /* the idle that runs them */
};

G_DEFINE_FINAL_TYPE (JswDeckView, jsw_deck_view, GTK_TYPE_WIDGET)

enum {
  THROW_REQUESTED,
  THROWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static JswSwipeCard *
card_at (JswDeckView *self,
         guint        position)
{
  return self->cards[(self->front + position) % N_CARDS];
}

JswSwipeCard *
jsw_deck_view_get_front (JswDeckView *self)
{
  g_return_val_if_fail (JSW_IS_DECK_VIEW (self), NULL);

  return card_at (self, 0);
}

/* @position: 0 for the front card; the ones behind it are ready, filled in
 * with the next postings */
JswSwipeCard *
jsw_deck_view_get_card (JswDeckView *self,
                        guint        position)
{
  g_return_val_if_fail (JSW_IS_DECK_VIEW (self), NULL);
  g_return_val_if_fail (position < N_CARDS, NULL);

  return card_at (self, position);
}

double
jsw_deck_view_get_offset (JswDeckView *self)
{
  g_return_val_if_fail (JSW_IS_DECK_VIEW (self), 0);

  return self->offset;
}

/* A card thrown or springing back: swipes wait for it. */
gboolean
jsw_deck_view_get_busy (JswDeckView *self)
{
  g_return_val_if_fail (JSW_IS_DECK_VIEW (self), FALSE);

  return self->throwing || self->dragging;
}

/* Work for after the frame being made */

typedef struct {
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify destroy;
} Later;

static void
later_free (gpointer data)
{
  Later *later = data;

  if (later->destroy != NULL)
    later->destroy (later->data);
  g_free (later);
}

static gboolean
run_later_cb (gpointer data)
{
  JswDeckView *self = data;
  g_autoptr(GPtrArray) due = g_steal_pointer (&self->later);

  self->later = g_ptr_array_new_with_free_func (later_free);
  self->later_id = 0;
  for (guint i = 0; i < due->len; i++)
    {
      Later *later = g_ptr_array_index (due, i);

      later->func (later->data);
    }
  return G_SOURCE_REMOVE;
}

static void
stop_waiting_for_paint (JswDeckView *self)
{
  if (self->painted_clock != NULL)
    g_clear_signal_handler (&self->painted_id, self->painted_clock);
  g_clear_object (&self->painted_clock);
}

/* The frame is painted: its later work runs once this frame's work is
 * over (an idle), before the next frame. */
static void
frame_painted_cb (JswDeckView *self)
{
  stop_waiting_for_paint (self);
  if (self->later_id == 0)
    self->later_id = g_idle_add_full (LATER_PRIORITY, run_later_cb, self, NULL);
}

/**
 * jsw_deck_view_after_frame:
 * @func: called once, its return value ignored
 * @destroy: (nullable): frees @data, after @func or when the view goes
 *
 * Has @func called once the frame GTK is making (or makes next) is
 * painted, before the one after it: work the person does not see in that
 * frame (the card at the back filled in, a toast that slides in from out
 * of sight), so that the frame after a swipe has only the next card to
 * show (issue 13: drawn within one frame).
 */
void
jsw_deck_view_after_frame (JswDeckView    *self,
                           GSourceFunc     func,
                           gpointer        data,
                           GDestroyNotify  destroy)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  Later *later = g_new0 (Later, 1);

  g_return_if_fail (JSW_IS_DECK_VIEW (self));

  later->func = func;
  later->data = data;
  later->destroy = destroy;
  g_ptr_array_add (self->later, later);
  if (self->painted_clock != NULL || self->later_id != 0)
    return;
  if (clock == NULL)
    {
      self->later_id = g_idle_add_full (LATER_PRIORITY, run_later_cb, self, NULL);
      return;
    }
  self->painted_clock = g_object_ref (clock);
  self->painted_id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (frame_painted_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static gboolean
fill_back_cb (gpointer data)
{
  JswDeckView *self = data;

  self->filling = FALSE;
  jsw_deck_view_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
fill_back_later (JswDeckView *self)
{
  if (self->filling)
    return;
  self->filling = TRUE;
  jsw_deck_view_after_frame (self, fill_back_cb, self, NULL);
}

/* The cards show the model's first postings, front first. Cards whose
 * posting did not change are left alone, so this is cheap after a swipe;
 * in a swipe the card at the back keeps its old posting, out of sight,
 * until the frame is painted. */
void
jsw_deck_view_refresh (JswDeckView *self)
{
  g_return_if_fail (JSW_IS_DECK_VIEW (self));

  for (guint i = 0; i < N_CARDS; i++)
    {
      JsonObject *posting = self->model ? jsw_deck_model_get_posting (self->model, i) : NULL;
      JswSwipeCard *card = card_at (self, i);

      if (posting != NULL && posting != jsw_swipe_card_get_posting (card) && i == N_CARDS - 1 && self->back_later)
        fill_back_later (self);
      else if (posting != NULL)
        jsw_swipe_card_set_posting (card, posting);
      gtk_widget_set_visible (GTK_WIDGET (card), posting != NULL);
      /* Only the front card is for the keyboard and screen readers. */
      gtk_widget_set_can_focus (GTK_WIDGET (card), i == 0);
      if (i > 0)
        gtk_accessible_update_state (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      else
        gtk_accessible_reset_state (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_STATE_HIDDEN);
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
jsw_deck_view_set_model (JswDeckView  *self,
                         JswDeckModel *model)
{
  g_return_if_fail (JSW_IS_DECK_VIEW (self));

  g_set_object (&self->model, model);
  jsw_deck_view_refresh (self);
}

/* Layout */

static void
jsw_deck_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  /* As wide as the page lets it (300 px fits a 360 px phone with its
   * margins), as tall as there is room for; never smaller than a card
   * that still shows its title and a few lines. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 520;
    }
  else
    {
      *minimum = 320;
      *natural = 600;
    }
}

static void
allocate_front (JswDeckView *self,
                GtkWidget   *card,
                int          width,
                int          height)
{
  double tilt = MAX_TILT * self->offset / MAX (width, 1);
  GskTransform *transform = NULL;

  /* Rotated about a point below the card, as a card held at its foot. */
  transform = gsk_transform_translate (transform, &GRAPHENE_POINT_INIT (width / 2.0 + self->offset,
                                                                        height * 1.6 + self->lift));
  transform = gsk_transform_rotate (transform, tilt);
  transform = gsk_transform_translate (transform, &GRAPHENE_POINT_INIT (-width / 2.0, -height * 1.6));
  gtk_widget_allocate (card, width, height - 2 * PEEK_PX, -1, transform);
}

static void
allocate_behind (GtkWidget *card,
                 int        width,
                 int        height,
                 double     depth)
{
  double scale = 1.0 - 0.05 * depth;
  GskTransform *transform = NULL;

  /* Smaller and lower, so its foot peeks out below the card before it. */
  transform = gsk_transform_translate (transform, &GRAPHENE_POINT_INIT (width * (1 - scale) / 2.0,
                                                                        PEEK_PX * depth * 2 + (height - 2 * PEEK_PX) * (1 - scale)));
  transform = gsk_transform_scale (transform, scale, scale);
  gtk_widget_allocate (card, width, height - 2 * PEEK_PX, -1, transform);
}

static void
jsw_deck_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  JswDeckView *self = JSW_DECK_VIEW (widget);
  /* The card behind comes forward as the front one goes. */
  double progress = CLAMP (ABS (self->offset) / (width * JSW_DECK_VIEW_THRESHOLD * 2), 0, 1);

  for (guint i = N_CARDS; i-- > 1;)
    if (gtk_widget_get_visible (GTK_WIDGET (card_at (self, i))))
      {
        /* The next card's text shows as the front card goes. */
        jsw_swipe_card_set_reveal (card_at (self, i), i == 1 ? progress : 0);
        allocate_behind (GTK_WIDGET (card_at (self, i)), width, height, i - progress);
      }
  if (gtk_widget_get_visible (GTK_WIDGET (card_at (self, 0))))
    {
      jsw_swipe_card_set_reveal (card_at (self, 0), 1);
      allocate_front (self, GTK_WIDGET (card_at (self, 0)), width, height);
    }
}

/* Drawing */

/* The cards are opaque, and a card behind another shows only below it:
 * its foot, and the corners beside the rounded ones of the card in front
 * (whose radius this covers). */
#define CORNER_PX 24.0
/* How far a card's shadow reaches beyond it. */
#define SHADOW_PX 24.0

/* Where the card at @position shows, when the card in front of it covers
 * the rest (it is not moving sideways): below that card's foot. */
static gboolean
shown_part (JswDeckView     *self,
            guint            position,
            graphene_rect_t *shown)
{
  GtkWidget *before = GTK_WIDGET (card_at (self, position - 1));
  graphene_rect_t bounds;
  double top;

  if (position == 0 || !gtk_widget_get_visible (before) ||
      (position == 1 && (self->offset != 0 || self->lift != 0)) ||
      !gtk_widget_compute_bounds (before, GTK_WIDGET (self), &bounds))
    return FALSE;
  top = bounds.origin.y + bounds.size.height - CORNER_PX;
  graphene_rect_init (shown, -SHADOW_PX, top, gtk_widget_get_width (GTK_WIDGET (self)) + 2 * SHADOW_PX,
                      MAX (gtk_widget_get_height (GTK_WIDGET (self)) + SHADOW_PX - top, 0));
  return TRUE;
}

/* Each card behind another is drawn only where it shows. Besides the
 * overdraw, this keeps what a swipe changes small: the card that goes to
 * the back changes only its foot, and GTK (which redraws what changed
 * since the last frame) repaints that, not the deck. */
static void
jsw_deck_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  JswDeckView *self = JSW_DECK_VIEW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t shown;
      guint position = 0;

      while (position < N_CARDS && GTK_WIDGET (card_at (self, position)) != child)
        position++;
      if (position < N_CARDS && shown_part (self, position, &shown))
        {
          gtk_snapshot_push_clip (snapshot, &shown);
          gtk_widget_snapshot_child (widget, child, snapshot);
          gtk_snapshot_pop (snapshot);
        }
      else
        gtk_widget_snapshot_child (widget, child, snapshot);
    }
}

static void
set_offset (JswDeckView *self,
            double       offset)
{
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1);

  self->offset = offset;
  jsw_swipe_card_set_lean (card_at (self, 0), offset / (width * JSW_DECK_VIEW_THRESHOLD));
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
animation_value_cb (double   value,
                    gpointer data)
{
  set_offset (JSW_DECK_VIEW (data), value);
}

/* The thrown card goes to the back, behind the others, and takes the
 * posting after theirs (after this frame: jsw_deck_view_refresh()). It
 * stays visible, as hiding and showing it again would have GTK measure
 * the window once more. */
static void
rotate_cards (JswDeckView *self)
{
  GtkWidget *thrown = GTK_WIDGET (card_at (self, 0));

  self->front = (self->front + 1) % N_CARDS;
  gtk_widget_insert_after (thrown, GTK_WIDGET (self), NULL);
  self->offset = 0;
  self->lift = 0;
  jsw_swipe_card_set_lean (JSW_SWIPE_CARD (thrown), 0);
}

static void
throw_done_cb (JswDeckView *self)
{
  gboolean right = self->throwing_right;

  self->throwing = FALSE;
  g_clear_object (&self->animation);
  rotate_cards (self);
  /* The page swipes in ::thrown, and the model's change refreshes the
   * cards from there too. */
  self->back_later = TRUE;
  g_signal_emit (self, signals[THROWN], 0, right);
  jsw_deck_view_refresh (self);
  self->back_later = FALSE;
}

static void
start_throw (JswDeckView *self,
             gboolean     right)
{
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1);
  AdwAnimationTarget *target = adw_callback_animation_target_new (animation_value_cb, self, NULL);

  if (self->animation != NULL)
    adw_animation_skip (self->animation);
  self->throwing = TRUE;
  self->throwing_right = right;
  self->animation = adw_timed_animation_new (GTK_WIDGET (self), self->offset, (right ? 1 : -1) * width * 1.4,
                                             THROW_MS, target);
  adw_timed_animation_set_easing (ADW_TIMED_ANIMATION (self->animation), ADW_EASE_OUT_CUBIC);
  g_signal_connect_swapped (self->animation, "done", G_CALLBACK (throw_done_cb), self);
  adw_animation_play (self->animation);
}

static void
spring_done_cb (JswDeckView *self)
{
  g_clear_object (&self->animation);
  self->lift = 0;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
spring_back (JswDeckView *self)
{
  AdwAnimationTarget *target = adw_callback_animation_target_new (animation_value_cb, self, NULL);
  /* Critically damped but a little under: it settles with one small
   * overshoot, as GNOME's own swipes do. */
  AdwSpringParams *params = adw_spring_params_new (0.75, 1, 500);

  if (self->animation != NULL)
    adw_animation_skip (self->animation);
  self->animation = adw_spring_animation_new (GTK_WIDGET (self), self->offset, 0, params, target);
  adw_spring_animation_set_initial_velocity (ADW_SPRING_ANIMATION (self->animation), self->velocity);
  adw_spring_params_unref (params);
  g_signal_connect_swapped (self->animation, "done", G_CALLBACK (spring_done_cb), self);
  adw_animation_play (self->animation);
}

/* The page may refuse: an Apply whose questions are not answered yet. */
static gboolean
may_throw (JswDeckView *self,
           gboolean     right)
{
  gboolean allowed = TRUE;

  g_signal_emit (self, signals[THROW_REQUESTED], 0, right, &allowed);
  return allowed;
}

/**
 * jsw_deck_view_land:
 *
 * A card being thrown is out of sight at once (::thrown follows, and its
 * swipe is made), so the next can be thrown: a second Apply or Pass
 * pressed while the first card still flies is for the next card, as the
 * person sees it coming up, not lost. Nothing happens otherwise.
 */
void
jsw_deck_view_land (JswDeckView *self)
{
  g_return_if_fail (JSW_IS_DECK_VIEW (self));

  if (self->throwing && self->animation != NULL)
    adw_animation_skip (self->animation);
}

/**
 * jsw_deck_view_throw:
 * @right: towards Apply (%TRUE) or Pass
 *
 * Throws the front card out, as a release past the threshold does (the
 * buttons and the arrow keys): ::thrown follows once it is out of sight.
 * Nothing happens while another card is being thrown or dragged.
 */
void
jsw_deck_view_throw (JswDeckView *self,
                     gboolean     right)
{
  g_return_if_fail (JSW_IS_DECK_VIEW (self));

  if (self->throwing || self->dragging || !gtk_widget_get_visible (GTK_WIDGET (card_at (self, 0))))
    return;
  self->velocity = 0;
  start_throw (self, right);
}

static void
drag_to (JswDeckView *self,
         double       offset,
         double       lift)
{
  gint64 now = g_get_monotonic_time ();

  if (now > self->last_time)
    self->velocity = (offset - self->last_offset) * G_USEC_PER_SEC / (now - self->last_time);
  self->last_time = now;
  self->last_offset = offset;
  self->lift = lift * 0.25;
  set_offset (self, offset);
}

static void
release (JswDeckView *self)
{
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1);
  gboolean far = ABS (self->offset) > width * JSW_DECK_VIEW_THRESHOLD;
  gboolean flick = ABS (self->velocity) > FLICK_VELOCITY && (self->velocity > 0) == (self->offset > 0);
  gboolean right = self->offset > 0;

  self->dragging = FALSE;
  if ((far || flick) && may_throw (self, right))
    start_throw (self, right);
  else
    spring_back (self);
}

/* Pointer and touch */

static void
drag_begin_cb (JswDeckView    *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  if (self->throwing || !gtk_widget_get_visible (GTK_WIDGET (card_at (self, 0))))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->last_time = g_get_monotonic_time ();
  self->last_offset = self->offset;
  self->velocity = 0;
}

static void
drag_update_cb (JswDeckView    *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  if (!self->dragging)
    {
      /* Sideways: the card's; up or down: the description's scrolling. */
      if (ABS (dx) < 8 && ABS (dy) < 8)
        return;
      if (ABS (dy) > ABS (dx))
        {
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      if (self->animation != NULL)
        {
          /* Caught while springing back: from where it is. */
          double caught = self->offset;

          adw_animation_reset (self->animation);
          g_clear_object (&self->animation);
          self->offset = caught;
        }
      self->dragging = TRUE;
      self->drag_start = self->offset;
    }
  drag_to (self, self->drag_start + dx, dy);
}

static void
drag_end_cb (JswDeckView    *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  if (self->dragging)
    release (self);
}

static void
drag_cancel_cb (JswDeckView *self)
{
  if (!self->dragging)
    return;
  self->dragging = FALSE;
  spring_back (self);
}

/* Touchpads: two fingers sideways. */

static void
scroll_begin_cb (JswDeckView *self)
{
  if (self->throwing || !gtk_widget_get_visible (GTK_WIDGET (card_at (self, 0))))
    return;
  if (self->animation != NULL)
    {
      adw_animation_reset (self->animation);
      g_clear_object (&self->animation);
    }
  self->dragging = TRUE;
  self->last_time = g_get_monotonic_time ();
  self->last_offset = self->offset;
}

static gboolean
scroll_cb (JswDeckView              *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  /* Only a touchpad's scrolling moves the card; a wheel's does not. */
  if (!self->dragging ||
      gtk_event_controller_scroll_get_unit (controller) != GDK_SCROLL_UNIT_SURFACE ||
      ABS (dy) > ABS (dx))
    return FALSE;
  drag_to (self, self->offset - dx, 0);
  return TRUE;
}

static void
scroll_end_cb (JswDeckView *self)
{
  if (self->dragging)
    release (self);
}

static void
jsw_deck_view_dispose (GObject *object)
{
  JswDeckView *self = JSW_DECK_VIEW (object);

  stop_waiting_for_paint (self);
  g_clear_handle_id (&self->later_id, g_source_remove);
  g_clear_pointer (&self->later, g_ptr_array_unref);
  if (self->animation != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->animation, self);
      g_clear_object (&self->animation);
    }
  for (guint i = 0; i < N_CARDS; i++)
    if (self->cards[i] != NULL)
      {
        gtk_widget_unparent (GTK_WIDGET (self->cards[i]));
        self->cards[i] = NULL;
      }
  g_clear_object (&self->model);
  G_OBJECT_CLASS (jsw_deck_view_parent_class)->dispose (object);
}

static void
jsw_deck_view_class_init (JswDeckViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = jsw_deck_view_dispose;
  widget_class->measure = jsw_deck_view_measure;
  widget_class->size_allocate = jsw_deck_view_size_allocate;
  widget_class->snapshot = jsw_deck_view_snapshot;
  gtk_widget_class_set_css_name (widget_class, "deckview");

  /**
   * JswDeckView::throw-requested:
   * @right: towards Apply
   *
   * A drag was released past the threshold. Returns: %FALSE to spring the
   * card back instead of throwing it
   */
  signals[THROW_REQUESTED] = g_signal_new ("throw-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, g_signal_accumulator_first_wins, NULL, NULL,
                                           G_TYPE_BOOLEAN, 1, G_TYPE_BOOLEAN);
  /**
   * JswDeckView::thrown:
   * @right: towards Apply
   *
   * The front card is out of sight: the swipe is to be made.
   */
  signals[THROWN] = g_signal_new ("thrown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
jsw_deck_view_init (JswDeckView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

  self->later = g_ptr_array_new_with_free_func (later_free);

  for (guint i = 0; i < N_CARDS; i++)
    {
      self->cards[i] = JSW_SWIPE_CARD (jsw_swipe_card_new ());
      /* The first card last: it is drawn on top. */
      gtk_widget_insert_after (GTK_WIDGET (self->cards[i]), GTK_WIDGET (self), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->cards[i]), FALSE);
    }

  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect_swapped (drag, "cancel", G_CALLBACK (drag_cancel_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (scroll, "scroll-begin", G_CALLBACK (scroll_begin_cb), self);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  g_signal_connect_swapped (scroll, "scroll-end", G_CALLBACK (scroll_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
}

GtkWidget *
jsw_deck_view_new (void)
{
  return g_object_new (JSW_TYPE_DECK_VIEW, NULL);
}
