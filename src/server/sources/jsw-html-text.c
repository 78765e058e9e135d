/* jsw-html-text.c
 *
 * Job boards publish descriptions as HTML written in a rich-text editor:
 * paragraphs, lists, headings, <br>, entities, sometimes <script> or
 * <style> pasted in. libxml2's HTML parser reads it the way a browser
 * would (unclosed tags, stray entities, broken nesting); the tree is then
 * walked once to lay the text out. No regular expression ever sees the
 * markup (issue 12).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "jsw-html-text.h"

typedef enum {
  BLOCK_NONE,
  BLOCK_PARAGRAPH,
  BLOCK_ITEM,
} BlockKind;

/* Deeper than this, an element's text is read flat, as one run of words
 * (below): rich-text editors nest a few levels, and the walk below, which
 * recurses, must not meet a board's 50,000 nested <div>s with 50,000
 * stack frames. */
#define LAYOUT_DEPTH_LIMIT 64

typedef struct {
  GString   *out;
  GString   *line;        /* the text of the block being read, raw */
  BlockKind  last;        /* the kind of the last block written */
  guint      list_depth;
  guint      in_item;     /* inside an <li>: blocks there stay on its line */
  guint      depth;       /* of the element being read */
  char      *prefix;      /* the bullet of the item being read, until written */
} Layout;

static const char *skipped_elements[] = {
  "script", "style", "title", "noscript", "template", "iframe", "object", "svg",
};

static const char *block_elements[] = {
  "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd",
  "section", "article", "header", "footer", "blockquote", "table", "tr", "pre", "hr",
  "figure", "figcaption", "main", "nav", "aside", "address", "form", "fieldset",
};

static gboolean
name_in (const char  *name,
         const char **names,
         gsize        n_names)
{
  for (gsize i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Runs of white space (Unicode's, no-break spaces included) become one
 * space; a line break kept from <br> stays, without spaces around it. */
static char *
collapse_space (const char *raw)
{
  GString *text = g_string_new (NULL);
  gboolean pending_space = FALSE;
  gboolean pending_newline = FALSE;

  for (const char *p = raw; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        pending_newline = TRUE;
      else if (g_unichar_isspace (c) || c == 0x200B || c == 0xFEFF)
        pending_space = TRUE;
      else if (g_unichar_iscntrl (c))
        continue;
      else
        {
          if (text->len > 0 && pending_newline)
            g_string_append_c (text, '\n');
          else if (text->len > 0 && pending_space)
            g_string_append_c (text, ' ');
          pending_space = pending_newline = FALSE;
          g_string_append_unichar (text, c);
        }
    }
  return g_string_free (text, FALSE);
}

/* Writes the block read so far: a paragraph, or (inside an <li>) an item,
 * its bullet first, or its indent when its text goes on after a nested
 * list. */
static void
end_block (Layout *layout)
{
  g_autofree char *text = collapse_space (layout->line->str);
  BlockKind kind = layout->in_item > 0 ? BLOCK_ITEM : BLOCK_PARAGRAPH;

  g_string_truncate (layout->line, 0);
  if (*text == '\0')
    return;

  if (layout->out->len > 0)
    g_string_append (layout->out, kind == BLOCK_ITEM && layout->last == BLOCK_ITEM ? "\n" : "\n\n");
  if (kind == BLOCK_ITEM && layout->prefix != NULL)
    g_string_append (layout->out, layout->prefix);
  else if (kind == BLOCK_ITEM)
    for (guint i = 0; i < 2 * layout->list_depth; i++)
      g_string_append_c (layout->out, ' ');
  g_clear_pointer (&layout->prefix, g_free);
  g_string_append (layout->out, text);
  layout->last = kind;
}

static void walk (Layout *layout, xmlNode *node);

/* Appends the text under @node (scripts and styles left out) as one run,
 * visiting the tree in a loop rather than by recursion: whatever its
 * depth, the stack stays flat. */
static void
append_flat_text (Layout  *layout,
                  xmlNode *node)
{
  xmlNode *current = node->children;

  while (current != NULL)
    {
      gboolean descend = FALSE;

      if (current->type == XML_TEXT_NODE || current->type == XML_CDATA_SECTION_NODE)
        for (const xmlChar *p = current->content; p != NULL && *p != '\0'; p++)
          g_string_append_c (layout->line, *p == '\n' || *p == '\r' ? ' ' : (char) *p);
      else if (current->type == XML_ELEMENT_NODE)
        {
          const char *name = current->name != NULL ? (const char *) current->name : "";

          descend = !name_in (name, skipped_elements, G_N_ELEMENTS (skipped_elements));
          /* Elements keep the words on either side of them apart. */
          g_string_append_c (layout->line, ' ');
        }
      if (descend && current->children != NULL)
        {
          current = current->children;
          continue;
        }
      while (current != node && current->next == NULL)
        current = current->parent;
      if (current == node)
        break;
      current = current->next;
    }
}

static void
walk_children (Layout  *layout,
               xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    walk (layout, child);
}

static void
walk_list_item (Layout  *layout,
                xmlNode *item,
                guint    number)
{
  g_autofree char *indent = g_strnfill (2 * (layout->list_depth > 0 ? layout->list_depth - 1 : 0), ' ');
  char *outer_prefix;

  end_block (layout);
  outer_prefix = g_steal_pointer (&layout->prefix);
  layout->prefix = number > 0 ? g_strdup_printf ("%s%u. ", indent, number)
                              : g_strconcat (indent, "• ", NULL);
  layout->in_item++;
  walk_children (layout, item);
  end_block (layout);
  layout->in_item--;
  g_free (layout->prefix);
  layout->prefix = outer_prefix;
}

static void
walk_list (Layout  *layout,
           xmlNode *list,
           gboolean ordered)
{
  guint number = 0;

  end_block (layout);
  layout->list_depth++;
  for (xmlNode *child = list->children; child != NULL; child = child->next)
    {
      if (child->type == XML_ELEMENT_NODE && g_ascii_strcasecmp ((const char *) child->name, "li") == 0)
        walk_list_item (layout, child, ordered ? ++number : 0);
      else
        walk (layout, child);
    }
  end_block (layout);
  layout->list_depth--;
  /* What follows a list is a new paragraph (a blank line), never one more
   * item of it. */
  if (layout->list_depth == 0)
    layout->last = BLOCK_PARAGRAPH;
}

static void
walk_element (Layout  *layout,
              xmlNode *node)
{
  const char *name = node->name != NULL ? (const char *) node->name : "";

  if (name_in (name, skipped_elements, G_N_ELEMENTS (skipped_elements)))
    return;
  if (g_ascii_strcasecmp (name, "br") == 0)
    g_string_append_c (layout->line, '\n');
  else if (g_ascii_strcasecmp (name, "ul") == 0 || g_ascii_strcasecmp (name, "ol") == 0)
    walk_list (layout, node, g_ascii_strcasecmp (name, "ol") == 0);
  else if (g_ascii_strcasecmp (name, "li") == 0)
    walk_list_item (layout, node, 0);  /* an <li> outside a list still reads as an item */
  else if (name_in (name, block_elements, G_N_ELEMENTS (block_elements)) && layout->in_item == 0)
    {
      end_block (layout);
      walk_children (layout, node);
      end_block (layout);
    }
  else
    {
      /* Cells, and blocks inside an item, stay apart by a space. */
      gboolean spaced = name_in (name, block_elements, G_N_ELEMENTS (block_elements)) ||
                        g_ascii_strcasecmp (name, "td") == 0 || g_ascii_strcasecmp (name, "th") == 0;

      if (spaced)
        g_string_append_c (layout->line, ' ');
      walk_children (layout, node);
      if (spaced)
        g_string_append_c (layout->line, ' ');
    }
}

static void
walk (Layout  *layout,
      xmlNode *node)
{
  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    {
      /* A line break in the source is white space like any other; the
       * only '\n' in a line is a <br>. */
      for (const xmlChar *p = node->content; p != NULL && *p != '\0'; p++)
        g_string_append_c (layout->line, *p == '\n' || *p == '\r' ? ' ' : (char) *p);
      return;
    }
  if (node->type != XML_ELEMENT_NODE)
    return;
  if (layout->depth >= LAYOUT_DEPTH_LIMIT)
    {
      if (name_in ((const char *) node->name, skipped_elements, G_N_ELEMENTS (skipped_elements)))
        return;
      g_string_append_c (layout->line, ' ');
      append_flat_text (layout, node);
      g_string_append_c (layout->line, ' ');
      return;
    }
  layout->depth++;
  walk_element (layout, node);
  layout->depth--;
}

static htmlDocPtr
parse_html (const char *html,
            gssize      length)
{
  if (length < 0)
    length = strlen (html);
  if (length > G_MAXINT)
    return NULL;
  /* NONET: a description never makes the parser fetch anything. HUGE:
   * without it, libxml2 gives up on markup nested over 256 deep and leaves
   * an empty document, so a description of 300 nested <div>s read as no
   * text at all; with it, the tree is built to any depth (the parser does
   * not recurse) and the walk reads the deep part flat. The body is
   * bounded already (JSW_BOARD_MAX_BODY). */
  return htmlReadMemory (html, (int) length, NULL, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                         HTML_PARSE_NONET | HTML_PARSE_COMPACT | XML_PARSE_HUGE);
}

/**
 * jsw_html_to_text:
 * @html: an HTML fragment or document, UTF-8
 * @length: its length in bytes, or -1 when NUL-terminated
 *
 * Lays the text out as docs/server.md "The job feed" promises for
 * `description`: paragraphs (p, div, headings, ...) separated by one blank
 * line, list items on lines of their own starting with "• " (or "1. " in an
 * ordered list; nested lists indented by two spaces), <br> kept as a line
 * break, runs of white space as one space, entities decoded, scripts and
 * styles dropped. Malformed markup is read as a browser would; nothing fails.
 *
 * Returns: (transfer full): the text, "" when there is none
 */
char *
jsw_html_to_text (const char *html,
                  gssize      length)
{
  Layout layout = { 0 };
  htmlDocPtr doc;

  g_return_val_if_fail (html != NULL, NULL);

  doc = parse_html (html, length);
  if (doc == NULL)
    return g_strdup ("");

  layout.out = g_string_new (NULL);
  layout.line = g_string_new (NULL);
  for (xmlNode *child = doc->children; child != NULL; child = child->next)
    walk (&layout, child);
  end_block (&layout);
  xmlFreeDoc (doc);

  g_string_free (layout.line, TRUE);
  return g_string_free (layout.out, FALSE);
}

/**
 * jsw_html_unescape:
 * @escaped: text with HTML character references, such as Greenhouse's
 *   `content` ("&lt;p&gt;We build&amp;nbsp;...")
 *
 * Decodes the references once, as an HTML parser reads text, so that the
 * result can be read as HTML again.
 *
 * Returns: (transfer full): the decoded text
 */
char *
jsw_html_unescape (const char *escaped)
{
  g_autofree char *wrapped = NULL;
  htmlDocPtr doc;
  xmlChar *content;
  char *text;

  g_return_val_if_fail (escaped != NULL, NULL);

  /* Text holding only references parses to text nodes whose content is
   * the decoded markup. */
  wrapped = g_strconcat ("<div>", escaped, "</div>", NULL);
  doc = parse_html (wrapped, -1);
  if (doc == NULL)
    return g_strdup (escaped);
  content = xmlNodeGetContent ((xmlNode *) doc);
  text = g_strdup (content != NULL ? (const char *) content : "");
  xmlFree (content);
  xmlFreeDoc (doc);
  return text;
}
