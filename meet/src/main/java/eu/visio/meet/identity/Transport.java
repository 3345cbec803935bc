package eu.visio.meet.identity;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;

/** Sends requests to the provider; tests put themselves in between to alter answers. */
@FunctionalInterface
interface Transport {
  Transport DIRECT = HTTPRequest::send;

  HTTPResponse send(HTTPRequest request) throws IOException;
}
