/*
 * FastCGI input and output: a request's parameters and body read from
 * libfcgi, and its answer (status, headers, JSON or problem+json) written.
 */
#ifndef TUTORAT_FCGI_IO_H
#define TUTORAT_FCGI_IO_H

#include <stddef.h>

#include "req.h"

struct FCGX_Request;

/* The CGI parameters the pipeline reads, and the request id. */
void fcgi_read_params(struct req *r, struct FCGX_Request *fr);
/* Reads exactly CONTENT_LENGTH bytes into the arena; above `limit` the
 * body is drained and the request refused (413). */
enum err fcgi_read_body(struct req *r, struct FCGX_Request *fr, size_t limit);
/* Writes the answer: the problem of r->err if set, else r->reply. */
void fcgi_respond(struct req *r, struct FCGX_Request *fr);

#endif
