package io.nostos.serving;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on Netty for the REST layer. Handlers run on the connection's event loop
 * and must not block: they return a future, and hand blocking work to a pool of their own.
 * Responses on one connection are written in request order, so pipelined requests are answered
 * correctly. Connections are kept alive unless the client asks otherwise. Every response, errors
 * included, is observed in {@link ServingMetrics} under its route pattern.
 */
final class HttpServer {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
  /** A route's handler. A thrown exception or a failed future becomes an error response. */
  @FunctionalInterface
  interface Handler {
    CompletionStage<ApiResponse> handle(ApiRequest request) throws Exception;
  }

  /** Largest request body accepted (a batchGet of 1000 long keys fits); larger ones get a 413. */
  static final int MAX_BODY_BYTES = 8 << 20;

  private final Router<Handler> router;
  private final Function<Throwable, ApiResponse> errors;
  private final ServingMetrics metrics;
  private final EventLoopGroup group;
  private final ChannelGroup connections = new DefaultChannelGroup("nostos-http", GlobalEventExecutor.INSTANCE);
  private Channel listening;

  /**
   * {@code errors} turns a handler's failure into its answer; it must not throw. Connections run
   * on {@code group}, which the caller owns (the REST layer passes the driver's own I/O group, so
   * that a read and its answer stay on one thread).
   */
  HttpServer(Router<Handler> router, Function<Throwable, ApiResponse> errors, ServingMetrics metrics,
      EventLoopGroup group) {
    this.router = router;
    this.errors = errors;
    this.metrics = metrics;
    this.group = group;
  }

  /** Listens on {@code port} on all interfaces (0: any free port); returns the port. */
  int start(int port) {
    ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES), new Connection());
          }
        });
    try {
      listening = bootstrap.bind(port).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding port " + port, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot listen on port " + port + ": " + e.getMessage(), e);
    }
    return ((InetSocketAddress) listening.localAddress()).getPort();
  }

  /** Stops listening and closes every connection; the event-loop group is left to its owner. */
  void stop() {
    if (listening != null) {
      listening.close().syncUninterruptibly();
    }
    connections.close().syncUninterruptibly();
  }

  /** A request on its way: the route it matched (its metrics name) and its answer to come. */
  private record Pending(String route, CompletableFuture<ApiResponse> answer) {}

  private Pending dispatch(FullHttpRequest req, String method) {
    if (req.decoderResult().isFailure()) {
      return new Pending("unmatched", CompletableFuture.completedFuture(ApiResponse.error(400, "malformed HTTP request")));
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    Router.Result<Handler> result = router.match(method, uri.rawPath(), QueryStringDecoder::decodeComponent);
    if (result.match().isEmpty()) {
      ApiResponse refusal = result.allowedMethods().isEmpty()
          ? ApiResponse.error(404, "no route " + method + " " + uri.path())
          : ApiResponse.error(405, method + " is not allowed on " + uri.path() + "; use "
              + String.join(" or ", result.allowedMethods()));
      return new Pending("unmatched", CompletableFuture.completedFuture(refusal));
    }
    Router.Match<Handler> match = result.match().get();
    ApiRequest request = new ApiRequest(match.params(), uri.parameters(), req.headers(), ByteBufUtil.getBytes(req.content()));
    CompletableFuture<ApiResponse> answer;
    try {
      answer = match.route().handler().handle(request).toCompletableFuture();
    } catch (Exception | LinkageError e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return new Pending(match.route().pattern(), answer);
  }

  /** One per connection; runs on the connection's event loop. */
  private final class Connection extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Completes when the previous request's response has been handed to the channel. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      long start = System.nanoTime();
      // After a malformed request the connection's state is unknown: answer it, then close.
      boolean keepAlive = HttpUtil.isKeepAlive(req) && !req.decoderResult().isFailure();
      boolean http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
      String method = req.method().name();
      Pending pending = dispatch(req, method);
      CompletableFuture<ApiResponse> answer = pending.answer().exceptionally(errors);
      previous = previous.thenCombine(answer, (done, response) -> response).thenAccept(response -> {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
            .setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        if (keepAlive && http10) {
          out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (keepAlive) {
          ctx.writeAndFlush(out, ctx.voidPromise());
        } else {
          out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
          ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }
        metrics.request(method, pending.route(), response.status(), System.nanoTime() - start);
      });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A client that resets its connection is normal; there is nobody left to answer.
      if (!(cause instanceof IOException)) {
        LOG.warn("closing an HTTP connection after an unexpected error", cause);
      }
      ctx.close();
    }
  }
}
