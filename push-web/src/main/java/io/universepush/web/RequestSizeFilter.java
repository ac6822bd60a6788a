package io.universepush.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over a limit with 413 before reading them. A declared
 * Content-Length is checked up front; a chunked body is counted as it is read and fails with
 * {@link RequestTooLargeException} at the first byte over the limit, so nothing large is ever buffered.
 * Each service registers a subclass with its configured limit; {@link WebExceptionHandler} answers the exception.
 */
public class RequestSizeFilter extends OncePerRequestFilter {
  private final long limit;
  private final ErrorWriter errors;

  public RequestSizeFilter(long limit, ErrorWriter errors) {
    this.limit = limit;
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      // The client may still be sending: close rather than read (and discard) the whole body.
      response.setHeader("Connection", "close");
      errors.write(response, HttpStatus.PAYLOAD_TOO_LARGE, "request_too_large", tooLarge());
      return;
    }
    chain.doFilter(declared >= 0 ? request : new LimitedRequest(request, limit, tooLarge()), response);
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return true;
  }

  private String tooLarge() {
    return "request body larger than " + limit + " bytes";
  }

  /** Thrown while reading a chunked body past the limit. */
  public static final class RequestTooLargeException extends IOException {
    RequestTooLargeException(String message) {
      super(message);
    }
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private final long limit;
    private final String message;
    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long limit, String message) {
      super(request);
      this.limit = limit;
      this.message = message;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new LimitedInputStream(super.getInputStream(), limit, message);
      }
      return stream;
    }
  }

  private static final class LimitedInputStream extends ServletInputStream {
    private final ServletInputStream delegate;
    private final long limit;
    private final String message;
    private long read;

    LimitedInputStream(ServletInputStream delegate, long limit, String message) {
      this.delegate = delegate;
      this.limit = limit;
      this.message = message;
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = delegate.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > limit) {
        throw new RequestTooLargeException(message);
      }
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
