package io.universepush.group.system;

import org.springframework.web.bind.annotation.RestController;

/** The servlet error page, answered in the API's JSON form. */
@RestController
public class JsonErrorController extends io.universepush.web.JsonErrorController {}
