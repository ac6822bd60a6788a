package io.universepush.api.system;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.RestController;

/** The servlet error page, answered in the API's JSON form (and left out of the OpenAPI document). */
@Hidden
@RestController
public class JsonErrorController extends io.universepush.web.JsonErrorController {}
