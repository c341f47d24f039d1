// The cashier's forms (server/src/http/pay_flow.rs). Inside WeChat, a JSAPI form is handed to
// WeixinJSBridge ('getBrandWCPayRequest'), after which WeChat returns here and we go to the
// result page, which asks WeChat what happened. An Alipay WAP form is submitted at once. Without
// this script (or outside WeChat), the button posts the form.
(function () {
  var form = document.querySelector("form[data-flow]");
  if (!form) return;
  var result = form.getAttribute("data-result");
  if (form.getAttribute("data-flow") === "autosubmit") {
    form.submit();
    return;
  }
  function field(name) {
    var input = form.querySelector('input[name="' + name + '"]');
    return input ? input.value : "";
  }
  function pay() {
    window.WeixinJSBridge.invoke(
      "getBrandWCPayRequest",
      {
        appId: field("appId"),
        timeStamp: field("timeStamp"),
        nonceStr: field("nonceStr"),
        package: field("package"),
        signType: field("signType"),
        paySign: field("paySign"),
      },
      function () {
        window.location.href = result;
      }
    );
  }
  function ready() {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      pay();
    });
    pay();
  }
  if (window.WeixinJSBridge) ready();
  else document.addEventListener("WeixinJSBridgeReady", ready, false);
})();
