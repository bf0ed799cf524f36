<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AttractScreen</name>
        <message>
            <location filename="../../screens/attract.py" line="76" />
            <source>24-hour government self-service</source>
            <translation>政务服务 24 小时自助终端</translation>
        </message>
        <message>
            <location filename="../../screens/attract.py" line="77" />
            <source>Popular services</source>
            <translation>高频事项</translation>
        </message>
        <message>
            <location filename="../../screens/attract.py" line="78" />
            <source>Touch the screen to start</source>
            <translation>请触摸屏幕开始办理</translation>
        </message>
        <message>
            <source>Print certificates · Check social insurance, medical insurance and housing fund · Take a queue number · Service guides</source>
            <translation>打印证明 · 查询社保、医保、公积金 · 现场取号 · 办事指南</translation>
        </message>
        <message>
            <source>How to do it: {item}</source>
            <translation>操作指引：{item}</translation>
        </message>
    </context>
    <context>
        <name>CategoryScreen</name>
        <message>
            <location filename="../../screens/browse.py" line="139" />
            <source>‹ Previous page</source>
            <translation>‹ 上一页</translation>
        </message>
        <message>
            <location filename="../../screens/browse.py" line="140" />
            <source>Next page ›</source>
            <translation>下一页 ›</translation>
        </message>
        <message>
            <location filename="../../screens/browse.py" line="144" />
            <source>Page {page} of {pages}</source>
            <translation>第 {page} / {pages} 页</translation>
        </message>
        <message>
            <source>Choose a service to read its guide.</source>
            <translation>请选择事项查看办事指南。</translation>
        </message>
    </context>
    <context>
        <name>CountdownOverlay</name>
        <message numerus="yes">
            <location filename="../../screens/widgets/chrome.py" line="290" />
            <source>%n second(s) left</source>
            <translation>
                <numerusform>还剩 %n 秒</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="294" />
            <source>Are you still there?</source>
            <translation>您还在吗？</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="295" />
            <source>For your privacy, everything you entered will be cleared and the terminal will return to the start screen.</source>
            <translation>为保护您的隐私，您输入的所有内容将被清除，终端将返回首页。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="300" />
            <source>I'm still here</source>
            <translation>我还在，继续办理</translation>
        </message>
    </context>
    <context>
        <name>DemoSimulatorPanel</name>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="79" />
            <source>Demo simulator (not for citizens)</source>
            <translation>演示模拟器（仅供演示，不面向群众）</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="84" />
            <source>Demo citizens</source>
            <translation>演示群众</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="90" />
            <source>Insert ID card</source>
            <translation>放身份证</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="102" />
            <source>ID card reader</source>
            <translation>身份证阅读器</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="106" />
            <source>Insert expired card</source>
            <translation>放过期身份证</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="108" />
            <source>Remove card</source>
            <translation>拿走身份证</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="110" />
            <source>Next read: reader hangs</source>
            <translation>下次读卡：阅读器无响应</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="113" />
            <source>Next read: partial data</source>
            <translation>下次读卡：只读到部分信息</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="116" />
            <source>Next read: unreadable card</source>
            <translation>下次读卡：卡片无法识读</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="119" />
            <source>Unplug reader</source>
            <translation>拔下阅读器</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="121" />
            <source>Plug reader in</source>
            <translation>插上阅读器</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="127" />
            <source>Scan a QR code that is no ID</source>
            <translation>扫非证照二维码</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="136" />
            <source>Receipt printer (virtual)</source>
            <translation>凭条打印机（虚拟）</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="141" />
            <source>Paper out</source>
            <translation>缺纸</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="143" />
            <source>Cover open</source>
            <translation>纸仓盖打开</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="145" />
            <source>Paper low</source>
            <translation>纸将用完</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="147" />
            <source>Paper back, printer OK</source>
            <translation>已装纸，打印机正常</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="177" />
            <source>Card placed: {name}</source>
            <translation>已放卡：{name}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="184" />
            <source>Expired card placed: {name}</source>
            <translation>已放过期卡：{name}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="189" />
            <source>QR code scanned: {name}</source>
            <translation>已扫码：{name}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="195" />
            <source>Card removed</source>
            <translation>已拿走身份证</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="200" />
            <source>The next read will fail: {fault}</source>
            <translation>下次读卡将失败：{fault}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="206" />
            <source>Reader unplugged</source>
            <translation>阅读器已拔下</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="211" />
            <source>Reader plugged in</source>
            <translation>阅读器已插上</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="216" />
            <source>Printer state: {state}</source>
            <translation>打印机状态：{state}</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/simulator.py" line="222" />
            <source>Demo simulator</source>
            <translation>演示模拟器</translation>
        </message>
        <message>
            <source>Camera (face check)</source>
            <translation>摄像头（人脸核验）</translation>
        </message>
        <message>
            <source>Face: the card's holder</source>
            <translation>人脸：证件本人</translation>
        </message>
        <message>
            <source>Face: someone else</source>
            <translation>人脸：他人</translation>
        </message>
        <message>
            <source>Face: a photo held up</source>
            <translation>人脸：手持照片</translation>
        </message>
        <message>
            <source>Face: nobody there</source>
            <translation>人脸：无人</translation>
        </message>
        <message>
            <source>Camera unplugged</source>
            <translation>拔出摄像头</translation>
        </message>
        <message>
            <source>Camera: {mode}</source>
            <translation>摄像头：{mode}</translation>
        </message>
        <message>
            <source>QR code: number only</source>
            <translation>二维码：仅身份证号</translation>
        </message>
        <message>
            <source>Phone: e-credential</source>
            <translation>手机：电子身份凭证</translation>
        </message>
        <message>
            <source>Phone: asking for an e-credential for {name}…</source>
            <translation>手机：正在为 {name} 获取电子身份凭证…</translation>
        </message>
        <message>
            <source>Phone: no e-credential came (is the backend running?)</source>
            <translation>手机：未获取到电子身份凭证（后端是否在运行？）</translation>
        </message>
        <message>
            <source>E-credential shown: {name}</source>
            <translation>已出示电子身份凭证：{name}</translation>
        </message>
    </context>
    <context>
        <name>DepartmentScreen</name>
        <message numerus="yes">
            <location filename="../../screens/browse.py" line="52" />
            <source>%n service(s). Choose a category.</source>
            <translation>
                <numerusform>共 %n 个事项，请选择分类。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/browse.py" line="58" />
            <source>%n service(s)</source>
            <translation>
                <numerusform>%n 个事项</numerusform>
            </translation>
        </message>
        <message>
            <source>Choose a category.</source>
            <translation>请选择分类。</translation>
        </message>
    </context>
    <context>
        <name>FlowScreen</name>
        <message>
            <location filename="../../screens/flow.py" line="51" />
            <source>Social insurance enrolment certificate</source>
            <translation>社保参保证明打印</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="52" />
            <source>Social insurance contribution history</source>
            <translation>社保缴费明细查询</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="53" />
            <source>Medical insurance account and spending</source>
            <translation>医保个人账户余额与消费明细查询</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="54" />
            <source>Medical insurance enrolment certificate</source>
            <translation>医保参保凭证打印</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="55" />
            <source>Housing provident fund deposits</source>
            <translation>公积金缴存查询</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="56" />
            <source>Real estate registration records</source>
            <translation>不动产登记信息查询</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="57" />
            <source>Certificate of no registered property</source>
            <translation>无房证明开具</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="58" />
            <source>Take a queue number</source>
            <translation>现场取号</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="59" />
            <source>Print a service guide</source>
            <translation>打印办事指南</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="65" />
            <source>Your social insurance enrolment and contribution records</source>
            <translation>您的社会保险参保和缴费记录</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="67" />
            <source>Your medical insurance account balance and spending</source>
            <translation>您的医保个人账户余额和消费明细</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="69" />
            <source>Your housing provident fund account and deposits</source>
            <translation>您的住房公积金账户和缴存记录</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="70" />
            <source>The real estate registered in your name</source>
            <translation>登记在您名下的不动产</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="77" />
            <source>Social insurance enrolment certificate (A4)</source>
            <translation>社会保险参保证明（A4 纸）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="78" />
            <source>Social insurance contribution statement (A4)</source>
            <translation>社会保险个人缴费明细（A4 纸）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="79" />
            <source>Medical insurance account statement (A4)</source>
            <translation>医疗保险个人账户明细（A4 纸）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="80" />
            <source>Medical insurance enrolment certificate (A4)</source>
            <translation>医疗保险参保凭证（A4 纸）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="81" />
            <source>Housing provident fund deposit certificate (A4)</source>
            <translation>住房公积金缴存证明（A4 纸）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="82" />
            <source>Real estate registration query result (A4)</source>
            <translation>不动产登记信息查询结果（A4 纸）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="83" />
            <source>Certificate of no registered property (A4)</source>
            <translation>无房产登记证明（A4 纸）</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="84" />
            <source>Queue ticket</source>
            <translation>排队号凭条</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="85" />
            <source>Service guide slip</source>
            <translation>办事指南凭条</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="91" />
            <source>Identify yourself</source>
            <translation>核验身份</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="92" />
            <source>Agree</source>
            <translation>授权确认</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="93" />
            <source>Choose</source>
            <translation>选择</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="94" />
            <source>Look up</source>
            <translation>查询</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="95" />
            <source>Your records</source>
            <translation>查询结果</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="96" />
            <source>Check before printing</source>
            <translation>打印预览</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="97" />
            <location filename="../../screens/flow.py" line="704" />
            <source>Print</source>
            <translation>打印</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="98" />
            <source>Rate the service</source>
            <translation>服务评价</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="99" />
            <location filename="../../screens/flow.py" line="761" />
            <source>Done</source>
            <translation>办理完成</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="105" />
            <source>The printer has run out of paper.</source>
            <translation>打印机缺纸了。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="106" />
            <source>The printer is almost out of paper.</source>
            <translation>打印机纸张快用完了。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="107" />
            <source>The printer's cover is open.</source>
            <translation>打印机的盖子没有关好。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="108" />
            <source>The printer is not responding.</source>
            <translation>打印机没有响应。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="109" />
            <source>This terminal has no printer for this document.</source>
            <translation>本机没有打印这种材料的打印机。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="110" />
            <source>The paper is jammed in the printer.</source>
            <translation>打印机卡纸了。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="111" />
            <source>The printer is not working right now.</source>
            <translation>打印机暂时不能使用。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="119" />
            <source>This service is not available on this terminal now</source>
            <translation>本机暂时不能办理这项业务</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="120" />
            <source>You can do it online with your phone, or at the staffed window.</source>
            <translation>您可以用手机扫码在网上办理，或到人工窗口办理。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="122" />
            <source>The service system cannot be reached right now</source>
            <translation>业务系统暂时连接不上</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="123" />
            <source>Nothing you have done is lost. Try again in a moment, do it online with your phone, or go to the staffed window.</source>
            <translation>您已经办好的步骤都还在。请稍后重试，也可以用手机扫码在网上办理，或到人工窗口办理。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="126" />
            <source>The service system could not handle this request</source>
            <translation>业务系统未能受理这次请求</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="127" />
            <location filename="../../screens/flow.py" line="151" />
            <source>Please go to the staffed window; staff will help you.</source>
            <translation>请到人工窗口，工作人员会帮您办理。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="129" />
            <source>No records were found for this ID number</source>
            <translation>没有查到这个身份证号码的记录</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="130" />
            <source>Check the number, or ask at the staffed window.</source>
            <translation>请核对号码，或到人工窗口咨询。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="132" />
            <source>You have no account for this service</source>
            <translation>您没有开立这项业务的账户</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="133" />
            <source>If you think this is wrong, ask at the staffed window.</source>
            <translation>如果您认为有误，请到人工窗口咨询。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="135" />
            <source>This certificate cannot be issued for you</source>
            <translation>不能为您开具这份证明</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="136" />
            <source>Real estate is registered in your name, so a certificate of no property cannot be issued. You can print your registration records instead.</source>
            <translation>您名下登记有不动产，所以不能开具无房证明。您可以改为打印不动产登记信息查询结果。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="141" />
            <source>Printing is paused on this terminal. You can do it online with your phone, or at the staffed window.</source>
            <translation>本机暂停打印。您可以用手机扫码在网上办理，或到人工窗口办理。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="145" />
            <source>Your document did not print. Try again, or go to the staffed window; nothing you have done is lost.</source>
            <translation>您的材料没有打印出来。请重试，或到人工窗口办理；您已经办好的步骤都还在。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="148" />
            <source>This service guide is no longer available</source>
            <translation>这份办事指南已经下线</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="149" />
            <source>Please ask at the staffed window.</source>
            <translation>请到人工窗口咨询。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="150" />
            <source>Something went wrong on this terminal</source>
            <translation>本机出现了问题</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="570" />
            <source>Step {n} of {total}: {step}</source>
            <translation>第 {n} 步，共 {total} 步：{step}</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="573" />
            <source>ID: {masked}</source>
            <translation>身份证：{masked}</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="606" />
            <source>To do this, the terminal will look up, with your ID number:</source>
            <translation>办理这项业务，本机将用您的身份证号码查询：</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="612" />
            <source>If you choose to print, it will print:</source>
            <translation>如果您选择打印，将打印：</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="613" />
            <source>It will then print:</source>
            <translation>然后将打印：</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="615" />
            <source>Your data is used only for this and is not kept on this terminal. When you finish or leave, the screen is cleared.</source>
            <translation>您的信息只用于本次办理，不会保存在本机。办完或离开后，屏幕上的信息会全部清除。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="622" />
            <source>Choose the business you came for:</source>
            <translation>请选择您要办理的业务：</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="644" />
            <source>Preparing your document…</source>
            <translation>正在准备您的材料…</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="645" />
            <source>This takes a few seconds.</source>
            <translation>需要几秒钟。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="647" />
            <source>Looking up your records…</source>
            <translation>正在查询您的记录…</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="648" />
            <source>This usually takes a few seconds. Please wait.</source>
            <translation>通常需要几秒钟，请稍候。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="650" />
            <source>Stop and go back</source>
            <translation>停止并返回</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="667" />
            <source>Print or finish</source>
            <translation>打印或结束</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="668" />
            <source>Next</source>
            <translation>下一步</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="675" />
            <source>There is nothing to print for your selection.</source>
            <translation>您选择的范围内没有可以打印的内容。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="678" />
            <source>This is what will be printed: {document}. The verification code is added when it prints.</source>
            <translation>将要打印的是：{document}。验证码在打印时生成。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="682" />
            <source>This will be printed on a slip: {document}.</source>
            <translation>将打印一张凭条：{document}。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="705" />
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="706" />
            <source>Do not print</source>
            <translation>不打印</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="714" />
            <source>Printing your document…</source>
            <translation>正在打印您的材料…</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="715" />
            <source>Please wait by the A4 printer outlet and take your papers.</source>
            <translation>请在 A4 出纸口等候并取走您的材料。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="718" />
            <source>Printing your slip…</source>
            <translation>正在打印凭条…</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="719" />
            <source>Please take it from the slip outlet.</source>
            <translation>请从凭条出口取走。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="732" />
            <source>Scan to do it online</source>
            <translation>扫码在网上办理</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="735" />
            <source>Or go to: {place}</source>
            <translation>或前往：{place}</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="738" />
            <source>Try again</source>
            <translation>重试</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="740" />
            <source>Continue without printing</source>
            <translation>不打印，继续</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="742" />
            <source>Back</source>
            <translation>返回上一步</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="744" />
            <source>Back to the start</source>
            <translation>回到首页</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="753" />
            <source>Your number: {number} ({business}), {ahead} waiting before you</source>
            <translation>您的排队号：{number}（{business}），前面还有 {ahead} 人</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="763" />
            <source>Please take your papers. Thank you for using the self-service terminal.</source>
            <translation>请取走您的材料。感谢您使用自助终端。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="767" />
            <source>Thank you for using the self-service terminal.</source>
            <translation>感谢您使用自助终端。</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="770" />
            <source>Do something else</source>
            <translation>继续办理其他业务</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="771" />
            <source>Finish and leave</source>
            <translation>结束并退出</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="806" />
            <source>I agree, continue</source>
            <translation>同意并继续</translation>
        </message>
        <message>
            <location filename="../../screens/flow.py" line="807" />
            <source>I do not agree</source>
            <translation>不同意</translation>
        </message>
        <message>
            <source>The service system could not confirm who you are</source>
            <translation>业务系统未能确认您的身份</translation>
        </message>
        <message>
            <source>Please go back and identify yourself again with your ID card or the e-credential QR code, or go to the staffed window.</source>
            <translation>请返回后重新使用身份证或电子身份凭证动态码核验身份，或前往人工窗口办理。</translation>
        </message>
        <message>
            <source>This terminal cannot look up more records right now</source>
            <translation>本机暂时无法继续查询</translation>
        </message>
        <message>
            <source>Please do it at the staffed window, or online with your phone. Sorry for the trouble.</source>
            <translation>请到人工窗口办理，或用手机在网上办理。给您带来不便，敬请谅解。</translation>
        </message>
        <message>
            <source>Who looked up your records recently: when, where and how</source>
            <translation>近期谁查询过您的信息：时间、地点和核验方式</translation>
        </message>
        <message>
            <source>Who looked at my records</source>
            <translation>近期查询记录</translation>
        </message>
        <message>
            <source>How to do this</source>
            <translation>操作指引</translation>
        </message>
    </context>
    <context>
        <name>GuideScreen</name>
        <message>
            <location filename="../../screens/guide.py" line="100" />
            <source>Scan with your phone to take this guide with you</source>
            <translation>手机扫码，把办事指南带回家</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="101" />
            <source>Print this guide</source>
            <translation>打印办事指南</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="105" />
            <source>Do it here now</source>
            <translation>在本机办理</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="108" />
            <source>Materials to bring</source>
            <translation>申请材料</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="109" />
            <source>Steps</source>
            <translation>办理流程</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="110" />
            <source>Where to go</source>
            <translation>办理地点</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="111" />
            <source>Who can apply</source>
            <translation>服务对象</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="112" />
            <source>Legal basis</source>
            <translation>设定依据</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="125" />
            <source>Time limit: {promised} (legal limit {legal})</source>
            <translation>承诺时限：{promised}（法定时限：{legal}）</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="127" />
            <source>Fee: {fee}</source>
            <translation>收费标准：{fee}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="128" />
            <source>original ×{n}</source>
            <translation>原件 ×{n}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="129" />
            <source>copy ×{n}</source>
            <translation>复印件 ×{n}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="143" />
            <source>Hours: {hours}</source>
            <translation>办理时间：{hours}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="144" />
            <source>Phone: {phone}</source>
            <translation>咨询电话：{phone}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="152" />
            <source>on the spot</source>
            <translation>即时办结</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/guide.py" line="153" />
            <source>%n working day(s)</source>
            <translation>
                <numerusform>%n 个工作日</numerusform>
            </translation>
        </message>
        <message>
            <source>This is the service guide. Scan the QR code to take it with you.</source>
            <translation>这是办事指南，扫描二维码即可带走。</translation>
        </message>
        <message>
            <source>How to do this</source>
            <translation>操作指引</translation>
        </message>
    </context>
    <context>
        <name>HomeScreen</name>
        <message>
            <location filename="../../screens/home.py" line="81" />
            <source>What would you like to do?</source>
            <translation>您要办理什么业务？</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="82" />
            <source>Take a queue number</source>
            <translation>现场取号</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="85" />
            <source>(printing paused)</source>
            <translation>（打印暂停服务）</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="91" />
            <source>Search services: type pinyin initials, e.g. sbcb</source>
            <translation>搜索事项：输入拼音首字母，如 sbcb</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="93" />
            <source>Search services</source>
            <translation>搜索事项</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="94" />
            <source>Popular services</source>
            <translation>高频事项</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="95" />
            <source>Services by department</source>
            <translation>按部门查找</translation>
        </message>
        <message>
            <source>(service system offline)</source>
            <translation>（业务系统暂时无法连接）</translation>
        </message>
        <message>
            <source>Choose a service, a department, or search.</source>
            <translation>请选择事项、部门，或搜索。</translation>
        </message>
        <message>
            <source>Elder mode is on (tap to turn off)</source>
            <translation>长辈模式已开启（点此关闭）</translation>
        </message>
        <message>
            <source>Elder mode: larger text, higher contrast, more time</source>
            <translation>长辈模式：大字体、高对比度、更长时间</translation>
        </message>
        <message>
            <source>Elder mode</source>
            <translation>长辈模式</translation>
        </message>
    </context>
    <context>
        <name>IdNumberPad</name>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="16" />
            <source>The number is complete. Tap Confirm.</source>
            <translation>号码已输完整，请点“确认”。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/widgets/numpad.py" line="19" />
            <source>%n more character(s) to type.</source>
            <translation>
                <numerusform>还需输入 %n 位。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="21" />
            <source>An ID number has 18 characters.</source>
            <translation>身份证号码共 18 位。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="23" />
            <source>X can only be the last character.</source>
            <translation>X 只能是最后一位。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="25" />
            <source>The first two digits are not a province. Please check them.</source>
            <translation>前两位不是有效的省份代码，请核对。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="27" />
            <source>Digits 7 to 14 are not a date of birth. Please check them.</source>
            <translation>第 7 至 14 位不是有效的出生日期，请核对。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="28" />
            <source>The last character does not match: one digit is probably mistyped. Please check the number.</source>
            <translation>最后一位校验码不符，可能有数字输错，请核对号码。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="90" />
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="91" />
            <source>Confirm</source>
            <translation>确认</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="92" />
            <source>Delete last character</source>
            <translation>删除一位</translation>
        </message>
    </context>
    <context>
        <name>IdentifyPanel</name>
        <message>
            <location filename="../../screens/widgets/identify.py" line="156" />
            <source>Waiting for your card</source>
            <translation>等待放入身份证</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="158" />
            <source>Reading your card…</source>
            <translation>正在读卡…</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="160" />
            <source>Your card has been read</source>
            <translation>读卡成功</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="162" />
            <source>The card reader did not respond</source>
            <translation>读卡器没有反应</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="164" />
            <source>The card was moved too soon</source>
            <translation>读卡时身份证被移动了</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="166" />
            <source>The card was not read completely</source>
            <translation>身份证信息没有读全</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="168" />
            <source>This card could not be read</source>
            <translation>这张身份证读不出来</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="170" />
            <source>This ID card has expired</source>
            <translation>这张身份证已过有效期</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="172" />
            <source>The card reader is not working</source>
            <translation>读卡器暂时不能使用</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="179" />
            <source>Lay the card flat on the reader and leave it there until it has been read.</source>
            <translation>请把身份证平放在感应区上，读完之前不要拿开。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="182" />
            <source>Please keep the card still.</source>
            <translation>请不要移动身份证。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="184" />
            <source>Thank you. Please remember to take your card with you.</source>
            <translation>谢谢！请记得取回您的身份证。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="187" />
            <source>Please take the card away, wait a moment, then place it on the reader again.</source>
            <translation>请先拿开身份证，稍等一会儿，再重新放到感应区上。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="190" />
            <source>Please place the card steadily, do not move it, and try again.</source>
            <translation>请把身份证放稳，不要移动，再试一次。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="194" />
            <source>Take the card away and place it again in the middle of the reader. If it still does not work, type your ID number instead.</source>
            <translation>请拿开身份证，再放到感应区正中间。如果还是不行，可以点“手动输入身份证号”。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="197" />
            <source>Take the card away and place it again in the middle of the reader. If it still does not work, please ask at the staffed window.</source>
            <translation>请拿开身份证，再放到感应区正中间。如果还是不行，请到人工窗口办理。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="201" />
            <source>An expired card cannot be used here. Please use a valid ID card, or ask at the staffed window.</source>
            <translation>过期的身份证不能在这里使用。请换用有效的身份证，或到人工窗口办理。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="205" />
            <source>Please type your ID number below, or show your electronic ID QR code.</source>
            <translation>请在下方输入身份证号，或出示电子证照二维码。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="208" />
            <source>Please type your ID number below.</source>
            <translation>请在下方输入身份证号。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="210" />
            <source>Please show your electronic ID QR code to the scanner.</source>
            <translation>请将电子证照二维码对准扫码口。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="212" />
            <source>Please ask at the staffed window. Sorry for the trouble.</source>
            <translation>请到人工窗口办理，给您添麻烦了。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="222" />
            <source>This QR code is not an electronic ID. Please open the QR code of your electronic ID card and hold it to the scanner.</source>
            <translation>这个二维码不是电子证照。请打开电子身份证的二维码，对准扫码口。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="225" />
            <source>A QR code cannot be used for this service. Please use one of the ways shown on the screen.</source>
            <translation>这项业务不能用二维码办理，请按屏幕上的方式核验身份。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="227" />
            <source>The ID number in this QR code is not valid. Please use your ID card, or type the number.</source>
            <translation>二维码里的身份证号不正确，请改用身份证，或手动输入身份证号。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="469" />
            <source>Please place your ID card on the reader</source>
            <translation>请将身份证放在感应区</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="472" />
            <source>Please type your ID number</source>
            <translation>请输入身份证号</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="474" />
            <source>Please show your electronic ID QR code</source>
            <translation>请出示电子证照二维码</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="488" />
            <source>Or show your electronic ID QR code (hold it to the scanner)</source>
            <translation>或出示电子证照二维码（对准扫码口）</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="491" />
            <source>Hold the QR code to the scanner window</source>
            <translation>请将二维码对准扫码口</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="498" />
            <source>Use the ID card instead</source>
            <translation>改用身份证</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/identify.py" line="499" />
            <source>Type the ID number by hand</source>
            <translation>手动输入身份证号</translation>
        </message>
        <message>
            <source>This QR code only shows an ID number, which is not enough to open your records. Please use your ID card, or the e-credential QR code in your government services app.</source>
            <translation>这个二维码只有身份证号码，不能用来查询您的个人信息。请使用身份证，或政务服务 App 中的电子身份凭证动态码。</translation>
        </message>
        <message>
            <source>Or show the e-credential QR code in your government services app (hold it to the scanner)</source>
            <translation>或出示政务服务 App 中的电子身份凭证动态码（对准扫码口）</translation>
        </message>
        <message>
            <source>The ID card cannot be used for this service here now</source>
            <translation>此业务暂时不能在本机使用身份证办理</translation>
        </message>
        <message>
            <source>Lay the card flat on the reader and leave it there until it has been read. Then look at the camera: your face is compared with the photo on the card.</source>
            <translation>请将身份证平放在读卡区，读取完成前不要移开。随后请看摄像头：系统将把您的面部与证件照片进行比对。</translation>
        </message>
        <message>
            <source>The camera for the face check is not working. Please show the e-credential QR code from your government services app, or go to the staffed window.</source>
            <translation>人脸核验摄像头暂时无法使用。请出示政务服务 App 中的电子身份凭证动态码，或前往人工窗口办理。</translation>
        </message>
        <message>
            <source>Please show the e-credential QR code from your government services app</source>
            <translation>请出示政务服务 App 中的电子身份凭证动态码</translation>
        </message>
        <message>
            <source>Checking your e-credential…</source>
            <translation>正在核验您的电子身份凭证…</translation>
        </message>
        <message>
            <source>This e-credential QR code has been used already. Please refresh it in your government services app and show the new code.</source>
            <translation>这个电子身份凭证动态码已使用过。请在政务服务 App 中刷新，出示新的动态码。</translation>
        </message>
        <message>
            <source>This e-credential QR code has expired (it is valid for one minute). Please refresh it in your app and show it again.</source>
            <translation>这个电子身份凭证动态码已过期（有效期 1 分钟）。请在 App 中刷新后重新出示。</translation>
        </message>
        <message>
            <source>This e-credential QR code is not valid. Please open the e-credential in your government services app again, or use your ID card.</source>
            <translation>这个电子身份凭证动态码无效。请在政务服务 App 中重新打开电子身份凭证，或使用身份证。</translation>
        </message>
        <message>
            <source>The e-credential cannot be checked right now. Please try again in a moment, use your ID card, or go to the staffed window.</source>
            <translation>电子身份凭证暂时无法核验。请稍后重试，或使用身份证，或前往人工窗口办理。</translation>
        </message>
    </context>
    <context>
        <name>Keypad</name>
        <message>
            <location filename="../../screens/keypad.py" line="310" />
            <source>There is no number to type here. Use the arrow keys and Enter.</source>
            <translation>这里不需要输入数字。请用方向键和确认键操作。</translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="287" />
            <source>Finish and clear everything? Press Cancel again or Enter to finish; an arrow key to stay.</source>
            <translation>结束并清除全部信息吗？再按一次取消键或按确认键结束；按方向键留在这里。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/keypad.py" line="426" />
            <source>ID number field, %n character(s) typed. Type the digits; Clear deletes one.</source>
            <translation>
                <numerusform>身份证号码输入框，已输入%n个字符。请按数字键输入，清除键删除一位。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="433" />
            <source>{name}, key</source>
            <translation>{name}，按键</translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="435" />
            <source>{name}, button, selected</source>
            <translation>{name}，按钮，已选中</translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="435" />
            <source>{name}, button</source>
            <translation>{name}，按钮</translation>
        </message>
        <message>
            <location filename="../../screens/keypad.py" line="468" />
            <source>Keypad: arrow keys move, Enter chooses, Cancel goes back, Clear deletes.</source>
            <translation>键盘操作：方向键移动，确认键选择，取消键返回，清除键删除。</translation>
        </message>
    </context>
    <context>
        <name>LetterKeyboard</name>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="83" />
            <source>Chinese</source>
            <translation>汉字输入</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="84" />
            <source>Type Chinese characters</source>
            <translation>输入汉字</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="85" />
            <source>Space</source>
            <translation>空格</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="86" />
            <source>Delete last letter</source>
            <translation>删除一个字母</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="87" />
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="88" />
            <source>Clear the search</source>
            <translation>清空搜索</translation>
        </message>
        <message>
            <source>ABC</source>
            <translation>ABC 字母</translation>
        </message>
        <message>
            <source>Type Latin letters</source>
            <translation>输入英文字母</translation>
        </message>
    </context>
    <context>
        <name>NavBar</name>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="238" />
            <source>‹ Back</source>
            <translation>‹ 返回</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="239" />
            <source>Home</source>
            <translation>首页</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="240" />
            <source>Finish</source>
            <translation>结束办理</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="241" />
            <source>Finish and clear everything</source>
            <translation>结束办理并清除全部信息</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="242" />
            <source>Report a problem</source>
            <translation>办不成事</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="243" />
            <source>Elder mode</source>
            <translation>长辈模式</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="244" />
            <source>Large text and high contrast</source>
            <translation>大字体、高对比度</translation>
        </message>
        <message>
            <source>Call staff</source>
            <translation>呼叫帮办</translation>
        </message>
        <message>
            <source>Call a staff member to help you</source>
            <translation>呼叫工作人员来帮您</translation>
        </message>
        <message>
            <source>Volume {n}/{total}</source>
            <translation>音量 {n}/{total}</translation>
        </message>
        <message>
            <source>Louder (from the loudest back to the softest)</source>
            <translation>调大音量（最大后回到最小）</translation>
        </message>
        <message>
            <source>Voice</source>
            <translation>语音</translation>
        </message>
        <message>
            <source>Spoken guidance on or off</source>
            <translation>打开或关闭语音播报</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceScreen</name>
        <message>
            <location filename="../../screens/guide.py" line="178" />
            <source>This terminal is temporarily out of service</source>
            <translation>本终端暂停服务</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="179" />
            <source>Please go to: {place}</source>
            <translation>请前往：{place}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="183" />
            <source>Reference for staff: {code}</source>
            <translation>故障代码（供工作人员查看）：{code}</translation>
        </message>
        <message>
            <source>Or do it online: scan this code with your phone</source>
            <translation>也可用手机扫码，在网上办理</translation>
        </message>
    </context>
    <context>
        <name>ProblemScreen</name>
        <message>
            <location filename="../../screens/problem.py" line="15" />
            <source>My ID card or number is not accepted</source>
            <translation>身份证读不出或号码无法输入</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="16" />
            <source>My records cannot be found</source>
            <translation>查不到我的信息</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="17" />
            <source>My records are wrong</source>
            <translation>查到的信息不对</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="18" />
            <source>It does not print</source>
            <translation>打印不出来</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="19" />
            <source>The terminal is broken</source>
            <translation>设备坏了（屏幕、读卡器、扫码）</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="20" />
            <source>The system cannot be reached</source>
            <translation>系统连不上</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="21" />
            <source>What I need cannot be done here</source>
            <translation>要办的事这里办不了</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="22" />
            <source>I do not know how to use it</source>
            <translation>不会操作</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="23" />
            <source>Something else</source>
            <translation>其他问题</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="81" />
            <source>Could not get it done? Tell us</source>
            <translation>办不成事？请告诉我们</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="86" />
            <source>Back to the start</source>
            <translation>返回首页</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="88" />
            <source>Choose what went wrong. You will get a number and where to go; staff will help you there.</source>
            <translation>请选择遇到的问题。您将获得一个编号和去处，工作人员会在那里为您办理。</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="91" />
            <source>Thank you. Your report has been recorded.</source>
            <translation>谢谢，您反映的问题已记录。</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="92" />
            <source>Your number</source>
            <translation>您的编号</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="95" />
            <source>Please go to: {place}</source>
            <translation>请前往：{place}</translation>
        </message>
        <message>
            <source>Choose what went wrong.</source>
            <translation>请选择遇到的问题。</translation>
        </message>
    </context>
    <context>
        <name>RatingPanel</name>
        <message>
            <location filename="../../screens/widgets/rating.py" line="13" />
            <source>Very satisfied</source>
            <translation>非常满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="14" />
            <source>Satisfied</source>
            <translation>满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="15" />
            <source>Basically satisfied</source>
            <translation>基本满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="16" />
            <source>Dissatisfied</source>
            <translation>不满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="17" />
            <source>Very dissatisfied</source>
            <translation>非常不满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="23" />
            <source>Took too long</source>
            <translation>等候或办理时间长</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="24" />
            <source>Hard to use</source>
            <translation>操作复杂，不会用</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="25" />
            <source>Instructions unclear</source>
            <translation>指引或说明看不懂</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="26" />
            <source>Results not right</source>
            <translation>查询结果不准确</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="27" />
            <source>Could not get it done</source>
            <translation>事情没办成</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="28" />
            <source>Printing problem</source>
            <translation>打印出错或不清楚</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="29" />
            <source>Terminal fault</source>
            <translation>设备故障</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="30" />
            <source>Staff service</source>
            <translation>帮办人员服务不好</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="31" />
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="101" />
            <source>Please choose at least one reason.</source>
            <translation>请至少选择一项原因。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="122" />
            <source>How was the service today?</source>
            <translation>您对本次服务满意吗？</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="125" />
            <source>What went wrong? Choose one or more.</source>
            <translation>哪里不满意？可多选。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="128" />
            <source>Skip</source>
            <translation>跳过</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="129" />
            <source>Submit rating</source>
            <translation>提交评价</translation>
        </message>
    </context>
    <context>
        <name>ReceiptPanel</name>
        <message>
            <location filename="../../screens/widgets/receipt_panel.py" line="16" />
            <source>Virtual receipt printer</source>
            <translation>虚拟凭条打印机</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/receipt_panel.py" line="18" />
            <source>Last receipt printed</source>
            <translation>最近打印的凭条</translation>
        </message>
    </context>
    <context>
        <name>RecordsView</name>
        <message>
            <location filename="../../screens/flow_views.py" line="75" />
            <source>{amount} yuan</source>
            <translation>{amount} 元</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/flow_views.py" line="92" />
            <source>%n month(s)</source>
            <translation>
                <numerusform>%n 个月</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="285" />
            <source>Earlier choices</source>
            <translation>向前查看更多选项</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="286" />
            <source>More choices</source>
            <translation>向后查看更多选项</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="370" />
            <source>‹ Previous page</source>
            <translation>‹ 上一页</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="371" />
            <source>Next page ›</source>
            <translation>下一页 ›</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="374" />
            <source>Page {page} of {pages}</source>
            <translation>第 {page} 页 / 共 {pages} 页</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="489" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="490" />
            <source>ID number</source>
            <translation>公民身份号码</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="559" />
            <source>Social insurance enrolment</source>
            <translation>社会保险参保情况</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="560" />
            <source>Insurance enrolments</source>
            <translation>参保险种</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="563" />
            <location filename="../../screens/flow_views.py" line="641" />
            <source>Insured in</source>
            <translation>参保地</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="564" />
            <source>Data as of</source>
            <translation>数据截至</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="567" />
            <location filename="../../screens/flow_views.py" line="602" />
            <location filename="../../screens/flow_views.py" line="635" />
            <source>Insurance</source>
            <translation>险种</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="568" />
            <location filename="../../screens/flow_views.py" line="636" />
            <source>Status</source>
            <translation>参保状态</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="569" />
            <location filename="../../screens/flow_views.py" line="638" />
            <source>Start month</source>
            <translation>参保起始年月</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="570" />
            <location filename="../../screens/flow_views.py" line="640" />
            <source>Months paid</source>
            <translation>累计缴费月数</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="573" />
            <source>No enrolment on record.</source>
            <translation>没有参保记录。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="592" />
            <source>Social insurance contributions</source>
            <translation>社会保险个人缴费明细</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="594" />
            <location filename="../../screens/flow_views.py" line="746" />
            <source>Year</source>
            <translation>年度</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="597" />
            <source>Insurance type</source>
            <translation>险种</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="598" />
            <source>All types</source>
            <translation>全部险种</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="601" />
            <location filename="../../screens/flow_views.py" line="673" />
            <location filename="../../screens/flow_views.py" line="749" />
            <source>Month</source>
            <translation>年月</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="603" />
            <source>Base (yuan)</source>
            <translation>缴费基数（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="604" />
            <location filename="../../screens/flow_views.py" line="750" />
            <source>Personal (yuan)</source>
            <translation>个人部分（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="605" />
            <location filename="../../screens/flow_views.py" line="751" />
            <source>Employer (yuan)</source>
            <translation>单位部分（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="608" />
            <source>No contributions for this year and insurance type.</source>
            <translation>所选年度和险种没有缴费记录。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="609" />
            <source>No contributions on record.</source>
            <translation>没有缴费记录。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="610" />
            <source>Personal contributions in this selection: {amount}</source>
            <translation>所选范围个人缴费合计：{amount}</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="631" />
            <source>Medical insurance enrolment</source>
            <translation>医疗保险参保信息</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="639" />
            <source>Last paid month</source>
            <translation>最近缴费年月</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="666" />
            <source>Medical insurance personal account</source>
            <translation>医保个人账户</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="667" />
            <location filename="../../screens/flow_views.py" line="730" />
            <source>Balance</source>
            <translation>账户余额</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="671" />
            <location filename="../../screens/flow_views.py" line="735" />
            <source>Account number</source>
            <translation>账号</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="674" />
            <source>All months</source>
            <translation>全部月份</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="676" />
            <source>Credit</source>
            <translation>划入</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="677" />
            <source>Spending</source>
            <translation>消费</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="679" />
            <source>Time</source>
            <translation>交易时间</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="680" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="681" />
            <source>Where</source>
            <translation>交易机构</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="682" />
            <source>Amount (yuan)</source>
            <translation>金额（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="683" />
            <location filename="../../screens/flow_views.py" line="753" />
            <source>Balance after (yuan)</source>
            <translation>余额（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="686" />
            <source>No transactions in this month.</source>
            <translation>所选月份没有交易记录。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="687" />
            <source>No transactions on record.</source>
            <translation>没有交易记录。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="688" />
            <source>Credited: {credits}    Spent: {spending}</source>
            <translation>划入合计：{credits}　　消费合计：{spending}</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="723" />
            <source>Normal</source>
            <translation>正常</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="724" />
            <source>Sealed</source>
            <translation>封存</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="725" />
            <source>Closed</source>
            <translation>销户</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="729" />
            <source>Housing provident fund</source>
            <translation>住房公积金</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="731" />
            <source>Account details</source>
            <translation>账户信息</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="736" />
            <source>Account status</source>
            <translation>账户状态</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="739" />
            <source>Employer</source>
            <translation>缴存单位</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="740" />
            <source>Contribution base</source>
            <translation>缴存基数</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="741" />
            <source>Contribution rates</source>
            <translation>缴存比例</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="742" />
            <source>Personal {personal}% · Employer {employer}%</source>
            <translation>个人 {personal}% · 单位 {employer}%</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="744" />
            <source>Account opened</source>
            <translation>开户年月</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="752" />
            <source>Total (yuan)</source>
            <translation>合计（元）</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="756" />
            <source>No deposits in this year.</source>
            <translation>所选年度没有缴存记录。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="757" />
            <source>No deposits on record.</source>
            <translation>没有缴存记录。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="820" />
            <source>Property {n}</source>
            <translation>第 {n} 处</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="822" />
            <source>Mortgaged and seized</source>
            <translation>抵押、查封</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="824" />
            <source>Mortgaged</source>
            <translation>抵押</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="826" />
            <source>Seized</source>
            <translation>查封</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="828" />
            <source>None</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="831" />
            <source>Certificate number</source>
            <translation>不动产权证书号</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="832" />
            <source>Location</source>
            <translation>坐落</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="833" />
            <source>Usage</source>
            <translation>用途</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="834" />
            <source>Floor area</source>
            <translation>建筑面积</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="835" />
            <source>{area} m²</source>
            <translation>{area} 平方米</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="836" />
            <source>Right type</source>
            <translation>权利类型</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="837" />
            <source>Ownership</source>
            <translation>共有情况</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="838" />
            <source>Registered on</source>
            <translation>登记日期</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="839" />
            <source>Restrictions</source>
            <translation>权利限制</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="846" />
            <source>Real estate registrations</source>
            <translation>不动产登记信息</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/flow_views.py" line="851" />
            <source>%n property(ies) registered in your name</source>
            <translation>
                <numerusform>您名下共登记 %n 处不动产</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="857" />
            <source>No real estate is registered in your name.</source>
            <translation>您名下没有不动产登记记录。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="859" />
            <source>In the next step you can print a certificate of no registered property.</source>
            <translation>下一步可以打印无房产登记证明（无房证明）。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="933" />
            <source>Your queue number</source>
            <translation>您的排队号</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="937" />
            <source>When your number is called, please go to {window}</source>
            <translation>叫到您的号码后，请到 {window} 办理</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/flow_views.py" line="942" />
            <source>%n person(s) ahead of you</source>
            <translation>
                <numerusform>前面还有 %n 人</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="943" />
            <source>Taken at {time}</source>
            <translation>取号时间 {time}</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="945" />
            <source>Scan to follow the queue</source>
            <translation>扫码查看排队进度</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1001" />
            <source>Service guide</source>
            <translation>办事指南</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1002" />
            <source>Materials to bring</source>
            <translation>所需材料</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1003" />
            <source>Where to go</source>
            <translation>办理地点</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1004" />
            <source>Scan to read this guide online</source>
            <translation>扫码在线查看办事指南</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1007" />
            <source>original ×{n}</source>
            <translation>原件 {n} 份</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1008" />
            <source>copy ×{n}</source>
            <translation>复印件 {n} 份</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1017" />
            <source>No materials needed.</source>
            <translation>无需提交材料。</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1019" />
            <source>Place</source>
            <translation>地点</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1020" />
            <source>Window</source>
            <translation>窗口</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1021" />
            <source>Hours</source>
            <translation>办公时间</translation>
        </message>
        <message>
            <location filename="../../screens/flow_views.py" line="1022" />
            <source>Phone</source>
            <translation>咨询电话</translation>
        </message>
        <message>
            <source>Social insurance records</source>
            <translation>社保记录</translation>
        </message>
        <message>
            <source>Medical insurance account</source>
            <translation>医保账户</translation>
        </message>
        <message>
            <source>This list of lookups</source>
            <translation>查询记录本身</translation>
        </message>
        <message>
            <source>Issued: {document}</source>
            <translation>开具：{document}</translation>
        </message>
        <message>
            <source>ID card and face check</source>
            <translation>身份证＋人脸核验</translation>
        </message>
        <message>
            <source>E-credential QR code</source>
            <translation>电子身份凭证动态码</translation>
        </message>
        <message>
            <source>With staff ({staff})</source>
            <translation>工作人员协助（{staff}）</translation>
        </message>
        <message>
            <source>Not verified</source>
            <translation>未核验</translation>
        </message>
        <message>
            <source>Who looked at my records</source>
            <translation>近期查询记录</translation>
        </message>
        <message>
            <source>What</source>
            <translation>查询内容</translation>
        </message>
        <message>
            <source>Verified by</source>
            <translation>核验方式</translation>
        </message>
        <message>
            <source>No one has looked up your records recently.</source>
            <translation>近期没有人查询过您的信息。</translation>
        </message>
        <message>
            <source>A lookup you do not recognise? Report it at the staffed window: staff can see which terminal it was.</source>
            <translation>如有您不认识的查询，请到人工窗口反映：工作人员可以查到是哪台终端。</translation>
        </message>
        <message>
            <source>When</source>
            <translation>查询时间</translation>
        </message>
        <message>
            <source>At which terminal</source>
            <translation>查询地点（终端）</translation>
        </message>
        <message>
            <source>Every lookup of your records at a self-service terminal is recorded: when, where, what and how the person was verified.</source>
            <translation>您的信息在自助终端上的每一次查询都有记录：时间、地点、查询内容和身份核验方式。</translation>
        </message>
    </context>
    <context>
        <name>SearchScreen</name>
        <message>
            <location filename="../../screens/search.py" line="107" />
            <source>Type pinyin initials (e.g. sbcb for 社保参保), or tap Chinese to write characters.</source>
            <translation>输入拼音首字母（如 sbcb 即“社保参保”），或点“汉字输入”写汉字。</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="109" />
            <source>Nothing found. Try fewer letters, or browse by department.</source>
            <translation>没有找到相关事项。请少输入几个字母，或按部门查找。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/search.py" line="111" />
            <source>%n service(s) found</source>
            <translation>
                <numerusform>找到 %n 个事项</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="134" />
            <source>Search services</source>
            <translation>搜索事项</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="135" />
            <source>Pinyin initials, pinyin or Chinese</source>
            <translation>拼音首字母、全拼或汉字</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="136" />
            <source>Search text</source>
            <translation>搜索内容</translation>
        </message>
        <message>
            <source>Type the first letters of the pinyin of what you need.</source>
            <translation>请输入您要办理事项的拼音首字母。</translation>
        </message>
    </context>
    <context>
        <name>StatusBar</name>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="126" />
            <source>● Catalog: on this terminal</source>
            <translation>● 事项目录：本机</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="129" />
            <source>● Online</source>
            <translation>● 已联网</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="132" />
            <source> · synced {time}</source>
            <translation> · {time} 已同步</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="134" />
            <source>● Connecting…</source>
            <translation>● 正在连接…</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="136" />
            <source>● Offline</source>
            <translation>● 网络中断</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="138" />
            <source>● Not enrolled</source>
            <translation>● 终端未注册</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="140" />
            <source>● Service problem</source>
            <translation>● 服务异常</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/widgets/chrome.py" line="142" />
            <source> · %n to send</source>
            <translation>
                <numerusform> · %n 条待上传</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="147" />
            <source>Network status</source>
            <translation>网络状态</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="150" />
            <source>● Printer: none</source>
            <translation>● 打印机：未配置</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="152" />
            <source>● Printer: paper low</source>
            <translation>● 打印机：纸将用完</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="154" />
            <source>● Printer: ready</source>
            <translation>● 打印机：正常</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="156" />
            <source>● Printer: out of paper</source>
            <translation>● 打印机：缺纸</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="158" />
            <source>● Printer: not working</source>
            <translation>● 打印机：故障</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="160" />
            <source>Device status</source>
            <translation>外设状态</translation>
        </message>
    </context>
    <context>
        <name>FaceCheck</name>
        <message>
            <source>Please look straight at the camera</source>
            <translation>请正视摄像头</translation>
        </message>
        <message>
            <source>Keep your face inside the oval and hold still for a moment. Please take off a hat, mask or sunglasses.</source>
            <translation>请将面部置于椭圆框内，保持不动片刻。请摘下帽子、口罩或墨镜。</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在核验…</translation>
        </message>
        <message>
            <source>Please hold still.</source>
            <translation>请保持不动。</translation>
        </message>
        <message>
            <source>Thank you, you are verified</source>
            <translation>核验通过，谢谢</translation>
        </message>
        <message>
            <source>Your face does not match the photo on the card</source>
            <translation>人脸与证件照片不一致</translation>
        </message>
        <message>
            <source>Please face the camera directly in good light, without a hat, mask or sunglasses, and try again. Only the card's holder can use it.</source>
            <translation>请在光线充足处正对摄像头，摘下帽子、口罩或墨镜后重试。身份证仅限本人使用。</translation>
        </message>
        <message>
            <source>A photo or a screen was detected</source>
            <translation>检测到照片或屏幕</translation>
        </message>
        <message>
            <source>Please look at the camera yourself, not a photo or a phone, and try again.</source>
            <translation>请本人直接面对摄像头，不要使用照片或手机，然后重试。</translation>
        </message>
        <message>
            <source>No face was seen</source>
            <translation>未检测到人脸</translation>
        </message>
        <message>
            <source>Please stand in front of the screen, look at the camera and try again.</source>
            <translation>请站在屏幕前方，看着摄像头，然后重试。</translation>
        </message>
        <message>
            <source>The photo on your card could not be read</source>
            <translation>未能读取证件中的照片</translation>
        </message>
        <message>
            <source>Please place the card on the reader again, show the e-credential QR code from your government services app, or go to: {place}</source>
            <translation>请重新放置身份证，或出示政务服务 App 中的电子身份凭证动态码，或前往：{place}</translation>
        </message>
        <message>
            <source>Face verification did not succeed</source>
            <translation>人脸核验未通过</translation>
        </message>
        <message>
            <source>For your safety no more tries are possible here. Please go to: {place}, or call a member of staff.</source>
            <translation>为保障您的信息安全，本机不能再次尝试。请前往：{place}，或呼叫工作人员。</translation>
        </message>
        <message>
            <source>The face check is not working right now</source>
            <translation>人脸核验暂时无法使用</translation>
        </message>
        <message>
            <source>Please show the e-credential QR code from your government services app, or go to: {place}</source>
            <translation>请出示政务服务 App 中的电子身份凭证动态码，或前往：{place}</translation>
        </message>
        <message>
            <source>Try {n} of {total}</source>
            <translation>第 {n} 次，共 {total} 次</translation>
        </message>
        <message>
            <source>ID: {masked}</source>
            <translation>身份证：{masked}</translation>
        </message>
        <message>
            <source>Try again</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>Call a member of staff</source>
            <translation>呼叫工作人员</translation>
        </message>
        <message>
            <source>Use another way</source>
            <translation>换一种方式</translation>
        </message>
    </context>
    <context>
        <name>StaffBanner</name>
        <message>
            <source>Staff member {name} is serving you</source>
            <translation>工作人员 {name} 正在为您服务</translation>
        </message>
        <message>
            <source>Staff tools</source>
            <translation>工作人员工具</translation>
        </message>
        <message>
            <source>Staff log out</source>
            <translation>工作人员退出</translation>
        </message>
    </context>
    <context>
        <name>StaffLogin</name>
        <message>
            <source>This staff account has expired or is disabled. Please ask the hall's administrator.</source>
            <translation>该工作人员账号已过期或已停用，请联系大厅管理员。</translation>
        </message>
        <message>
            <source>This badge is not known on this terminal. Log in with your staff number and PIN.</source>
            <translation>本终端无法识别该工作证，请用工号和密码登录。</translation>
        </message>
        <message>
            <source>This terminal has no staff list yet. Try again once it is online.</source>
            <translation>本终端尚未收到工作人员名单，请联网后再试。</translation>
        </message>
        <message>
            <source>Staff number: {number}</source>
            <translation>工号：{number}</translation>
        </message>
        <message>
            <source>PIN: {dots}</source>
            <translation>密码：{dots}</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在核验…</translation>
        </message>
        <message>
            <source>Staff login</source>
            <translation>工作人员登录</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Log in</source>
            <translation>登录</translation>
        </message>
        <message numerus="yes">
            <source>Staff number or PIN is wrong: %n more try(s).</source>
            <translation>
                <numerusform>工号或密码错误，还可尝试 %n 次。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Too many wrong PINs: locked for %n minute(s).</source>
            <translation>
                <numerusform>密码错误次数过多，该工号已锁定，请 %n 分钟后再试。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>StaffTools</name>
        <message>
            <source>{name} ({number}), {role}</source>
            <translation>{name}（工号 {number}），{role}</translation>
        </message>
        <message>
            <source>Serve a citizen</source>
            <translation>为群众办理</translation>
        </message>
        <message>
            <source>Reprint (补打)</source>
            <translation>补打</translation>
        </message>
        <message>
            <source>Nothing to reprint from the last {minutes} minutes.</source>
            <translation>最近 {minutes} 分钟内没有可补打的打印件。</translation>
        </message>
        <message>
            <source>Reprint {title} ({time})</source>
            <translation>补打：{title}（{time}）</translation>
        </message>
        <message>
            <source>Printers</source>
            <translation>打印机</translation>
        </message>
        <message>
            <source>Receipt printer refilled / fixed: check it again</source>
            <translation>凭条打印机已补纸/修复：重新检测</translation>
        </message>
        <message>
            <source>A4 printer refilled / fixed: check it again</source>
            <translation>A4 打印机已补纸/修复：重新检测</translation>
        </message>
        <message>
            <source>End the citizen's session</source>
            <translation>结束当前群众的办理</translation>
        </message>
        <message>
            <source>Audit log: BROKEN ({problem})</source>
            <translation>审计日志：链已损坏（{problem}）</translation>
        </message>
        <message>
            <source>Reprint sent, marked 补打.</source>
            <translation>已发送补打，纸上标有“补打”。</translation>
        </message>
        <message>
            <source>This job can no longer be reprinted.</source>
            <translation>该打印件已不能补打。</translation>
        </message>
        <message>
            <source>The printer is being checked again.</source>
            <translation>正在重新检测打印机。</translation>
        </message>
        <message>
            <source>Staff tools</source>
            <translation>工作人员工具</translation>
        </message>
        <message>
            <source>Back to the citizen</source>
            <translation>返回群众办理</translation>
        </message>
        <message>
            <source>Log out</source>
            <translation>退出登录</translation>
        </message>
        <message numerus="yes">
            <source>%n prompt(s) could not be spoken.</source>
            <translation>
                <numerusform>%n 条语音提示未能播报。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Audit log: %n entries, chain intact.</source>
            <translation>
                <numerusform>审计日志：共 %n 条，哈希链完整。</numerusform>
            </translation>
        </message>
        <message>
            <source>Silent: no speech engine ({detail}).</source>
            <translation>无声：没有语音引擎（{detail}）。</translation>
        </message>
        <message>
            <source>Silent: no audio output device. The terminal works without voice.</source>
            <translation>无声：没有音频输出设备。终端在无语音状态下照常工作。</translation>
        </message>
        <message>
            <source>Working ({engine}).</source>
            <translation>正常（{engine}）。</translation>
        </message>
        <message>
            <source>Voice guidance (语音)</source>
            <translation>语音播报</translation>
        </message>
    </context>
    <context>
        <name>StaffRole</name>
        <message>
            <source>Helper</source>
            <translation>帮办</translation>
        </message>
        <message>
            <source>Shift lead</source>
            <translation>值班长</translation>
        </message>
        <message>
            <source>Technician</source>
            <translation>技术员</translation>
        </message>
        <message>
            <source>Auditor</source>
            <translation>审计员</translation>
        </message>
    </context>
    <context>
        <name>HelpBar</name>
        <message>
            <source>Calling staff…</source>
            <translation>正在呼叫工作人员…</translation>
        </message>
        <message>
            <source>Staff have been called and will come to you. Please wait here.</source>
            <translation>已呼叫工作人员，请在此稍候。</translation>
        </message>
        <message>
            <source>Staff member {name} is on the way</source>
            <translation>工作人员 {name} 正在赶来</translation>
        </message>
        <message>
            <source>(name not given)</source>
            <translation>（未留姓名）</translation>
        </message>
        <message>
            <source>Staff cannot be called from this terminal right now. Please go to: {place}. Nothing you have done here is lost.</source>
            <translation>本机暂时无法呼叫工作人员，请前往：{place}。您在本机办理的内容不会丢失。</translation>
        </message>
        <message>
            <source>Staff have closed your call for help.</source>
            <translation>工作人员已处理您的求助。</translation>
        </message>
        <message>
            <source>Screen shared · End</source>
            <translation>屏幕共享中 · 结束</translation>
        </message>
        <message>
            <source>Staff see this screen. Tap to end it.</source>
            <translation>工作人员正在查看本屏幕，点按即可结束。</translation>
        </message>
        <message>
            <source>Cancel the call</source>
            <translation>取消呼叫</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>知道了</translation>
        </message>
    </context>
    <context>
        <name>RemoteViewConsent</name>
        <message>
            <source>Staff ask to see your screen</source>
            <translation>工作人员请求查看您的屏幕</translation>
        </message>
        <message>
            <source>To help you from where they are, staff would see what this screen shows. Your name and ID number are covered. You can end it at any time.</source>
            <translation>为远程帮您办理，工作人员将看到本屏幕显示的内容。您的姓名和身份证号会被遮挡，您可随时结束。</translation>
        </message>
        <message>
            <source>Allow</source>
            <translation>允许</translation>
        </message>
        <message>
            <source>Refuse</source>
            <translation>拒绝</translation>
        </message>
    </context>
    <context>
        <name>Maintenance</name>
        <message numerus="yes">
            <source>Review %n change(s)</source>
            <translation>
                <numerusform>查看 %n 项修改</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Exported %n file(s) to {folder}.</source>
            <translation>
                <numerusform>已导出 %n 个文件到 {folder}。</numerusform>
            </translation>
        </message>
        <message>
            <source>Back</source>
            <translation>返回</translation>
        </message>
        <message>
            <source>Maintenance</source>
            <translation>维护</translation>
        </message>
        <message>
            <source>Terminal {terminal} is out of service while you work. Technician {number}.</source>
            <translation>维护期间终端 {terminal} 暂停服务。技术员 {number}。</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>参数配置</translation>
        </message>
        <message>
            <source>Diagnostics</source>
            <translation>设备诊断</translation>
        </message>
        <message>
            <source>Counters and paper</source>
            <translation>计数与纸张</translation>
        </message>
        <message>
            <source>Enrolment</source>
            <translation>终端注册</translation>
        </message>
        <message>
            <source>Export logs to USB stick</source>
            <translation>导出日志到 U 盘</translation>
        </message>
        <message>
            <source>Restart to apply</source>
            <translation>重启生效</translation>
        </message>
        <message>
            <source>Back in service</source>
            <translation>恢复服务</translation>
        </message>
        <message>
            <source>Log out, stay out of service</source>
            <translation>退出登录，保持暂停服务</translation>
        </message>
        <message>
            <source>The configuration cannot be edited here: {reason}</source>
            <translation>无法在此修改配置：{reason}</translation>
        </message>
        <message>
            <source>Roll back to the previous file</source>
            <translation>回退到上一版配置</translation>
        </message>
        <message>
            <source>Default: {default}</source>
            <translation>默认值：{default}</translation>
        </message>
        <message>
            <source>On</source>
            <translation>开</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>关</translation>
        </message>
        <message>
            <source>Check and keep</source>
            <translation>校验并暂存</translation>
        </message>
        <message>
            <source>Changes to save</source>
            <translation>待保存的修改</translation>
        </message>
        <message>
            <source>The previous file is kept; the kiosk restarts to apply the changes.</source>
            <translation>上一版配置文件会保留；终端重启后修改生效。</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Saved. Restart to apply.</source>
            <translation>已保存，重启后生效。</translation>
        </message>
        <message>
            <source>The previous file is back. Restart to apply.</source>
            <translation>已恢复上一版配置，重启后生效。</translation>
        </message>
        <message>
            <source>Each test is recorded in the audit log.</source>
            <translation>每项测试都记入审计日志。</translation>
        </message>
        <message>
            <source>Receipt printer self-test</source>
            <translation>凭条打印机自检</translation>
        </message>
        <message>
            <source>A4 printer self-test</source>
            <translation>A4 打印机自检</translation>
        </message>
        <message>
            <source>Test print: receipt</source>
            <translation>测试打印：凭条</translation>
        </message>
        <message>
            <source>Test print: A4</source>
            <translation>测试打印：A4</translation>
        </message>
        <message>
            <source>ID card reader: read a card</source>
            <translation>身份证阅读器：读卡测试</translation>
        </message>
        <message>
            <source>QR scanner: scan a code</source>
            <translation>扫码器：扫码测试</translation>
        </message>
        <message>
            <source>Touch check</source>
            <translation>触摸校准检查</translation>
        </message>
        <message>
            <source>Screen test</source>
            <translation>屏幕测试</translation>
        </message>
        <message>
            <source>Speaker test</source>
            <translation>扬声器测试</translation>
        </message>
        <message>
            <source>Network, TLS and clock</source>
            <translation>网络、TLS 证书与时钟</translation>
        </message>
        <message>
            <source>Testing…</source>
            <translation>正在测试…</translation>
        </message>
        <message>
            <source>Place an ID card on the reader…</source>
            <translation>请将身份证放在阅读器上…</translation>
        </message>
        <message>
            <source>Scan any QR code now…</source>
            <translation>请扫描任意二维码…</translation>
        </message>
        <message>
            <source>Did each colour fill the whole screen evenly, without dead pixels?</source>
            <translation>每种颜色是否均匀铺满整个屏幕，没有坏点？</translation>
        </message>
        <message>
            <source>Did you hear a tone from the speaker?</source>
            <translation>是否听到扬声器发出的提示音？</translation>
        </message>
        <message>
            <source>No sound output could be opened. Did you hear a tone?</source>
            <translation>无法打开声音输出。是否听到提示音？</translation>
        </message>
        <message>
            <source>Yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>No</source>
            <translation>否</translation>
        </message>
        <message>
            <source>Since the last paper change for paper; since installation for the rest.</source>
            <translation>纸张计数自上次换纸起算；其余计数自安装起算。</translation>
        </message>
        <message>
            <source>Citizen sessions</source>
            <translation>群众办理次数</translation>
        </message>
        <message>
            <source>Receipts printed</source>
            <translation>已打印凭条</translation>
        </message>
        <message>
            <source>A4 documents printed</source>
            <translation>已打印 A4 文书</translation>
        </message>
        <message>
            <source>Receipts on this roll</source>
            <translation>本卷纸已打印凭条</translation>
        </message>
        <message>
            <source>A4 jobs on this paper load</source>
            <translation>本次装纸已打印 A4</translation>
        </message>
        <message>
            <source>Errors</source>
            <translation>故障次数</translation>
        </message>
        <message>
            <source>Receipt paper changed</source>
            <translation>凭条纸已更换</translation>
        </message>
        <message>
            <source>A4 paper changed</source>
            <translation>A4 纸已补充</translation>
        </message>
        <message>
            <source>Paper counter reset (recorded).</source>
            <translation>纸张计数已清零（已记录）。</translation>
        </message>
        <message>
            <source>This terminal is enrolled. A new one-time code from the fleet console enrols it again.</source>
            <translation>本终端已注册。输入运维控制台生成的新一次性注册码可重新注册。</translation>
        </message>
        <message>
            <source>Type the one-time code from the fleet console.</source>
            <translation>请输入运维控制台生成的一次性注册码。</translation>
        </message>
        <message>
            <source>Enrol</source>
            <translation>注册</translation>
        </message>
        <message>
            <source>Enrolling…</source>
            <translation>正在注册…</translation>
        </message>
        <message>
            <source>Enrolled.</source>
            <translation>注册成功。</translation>
        </message>
        <message>
            <source>Enrolment refused: {reason}</source>
            <translation>注册被拒绝：{reason}</translation>
        </message>
        <message>
            <source>Into {folder}. ID and phone numbers are masked; a SHA256SUMS manifest is written last.</source>
            <translation>导出到 {folder}。身份证号和手机号已脱敏；最后写入 SHA256SUMS 校验清单。</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>No USB stick found at {folder}.</source>
            <translation>未在 {folder} 找到 U 盘。</translation>
        </message>
        <message>
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <source>The export did not finish (was the stick removed?). Nothing on the stick is marked complete; export again.</source>
            <translation>导出未完成（U 盘是否被拔出？）。U 盘上没有标记为完整的文件，请重新导出。</translation>
        </message>
        <message>
            <source>the backend cannot be reached</source>
            <translation>无法连接后台</translation>
        </message>
        <message>
            <source>the code is wrong, used or expired</source>
            <translation>注册码错误、已使用或已过期</translation>
        </message>
        <message>
            <source>the code was issued for another terminal</source>
            <translation>该注册码是为其他终端生成的</translation>
        </message>
        <message>
            <source>this terminal does not sync</source>
            <translation>本终端未启用同步</translation>
        </message>
        <message>
            <source>no code typed</source>
            <translation>未输入注册码</translation>
        </message>
        <message>
            <source>Technician login</source>
            <translation>技术员登录</translation>
        </message>
        <message>
            <source>A citizen is being served. The terminal goes into maintenance as soon as they are done; log in again then.</source>
            <translation>正在为群众办理业务。办理结束后终端将进入维护状态，届时请重新登录。</translation>
        </message>
        <message>
            <source>Only technicians may open the maintenance panel.</source>
            <translation>只有技术员可以打开维护面板。</translation>
        </message>
        <message>
            <source>{path}: tap an option to change it. Options set centrally cannot be changed here.</source>
            <translation>{path}：点按参数进行修改。中心统一配置的参数不能在此修改。</translation>
        </message>
        <message>
            <source>(set centrally)</source>
            <translation>（中心统一配置）</translation>
        </message>
        <message>
            <source>{name}: {value}</source>
            <translation>{name}：{value}</translation>
        </message>
    </context>
    <context>
        <name>MaintenanceCheck</name>
        <message>
            <source>Receipt printer</source>
            <translation>凭条打印机</translation>
        </message>
        <message>
            <source>A4 printer</source>
            <translation>A4 打印机</translation>
        </message>
        <message>
            <source>ID card reader</source>
            <translation>身份证阅读器</translation>
        </message>
        <message>
            <source>QR scanner</source>
            <translation>扫码器</translation>
        </message>
        <message>
            <source>Touch screen</source>
            <translation>触摸屏</translation>
        </message>
        <message>
            <source>Screen</source>
            <translation>屏幕</translation>
        </message>
        <message>
            <source>Speaker</source>
            <translation>扬声器</translation>
        </message>
        <message>
            <source>Backend</source>
            <translation>后台</translation>
        </message>
        <message>
            <source>TLS certificate</source>
            <translation>TLS 证书</translation>
        </message>
        <message>
            <source>Clock</source>
            <translation>时钟</translation>
        </message>
        <message>
            <source>Sync</source>
            <translation>同步</translation>
        </message>
        <message>
            <source>Disk</source>
            <translation>磁盘</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>内存</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Fault</source>
            <translation>故障</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <source>Not fitted</source>
            <translation>未配置</translation>
        </message>
        <message>
            <source>not configured on this terminal</source>
            <translation>本终端未配置该设备</translation>
        </message>
        <message>
            <source>paper nearly out</source>
            <translation>纸将用尽</translation>
        </message>
        <message>
            <source>out of paper</source>
            <translation>缺纸</translation>
        </message>
        <message>
            <source>cover open</source>
            <translation>舱盖打开</translation>
        </message>
        <message>
            <source>not reachable</source>
            <translation>无法连接</translation>
        </message>
        <message>
            <source>connection lost</source>
            <translation>连接中断</translation>
        </message>
        <message>
            <source>did not answer in time</source>
            <translation>响应超时</translation>
        </message>
        <message>
            <source>device error</source>
            <translation>设备错误</translation>
        </message>
        <message>
            <source>test page sent</source>
            <translation>测试页已发送</translation>
        </message>
        <message>
            <source>card read: {masked}</source>
            <translation>读卡成功：{masked}</translation>
        </message>
        <message>
            <source>the card was read incompletely</source>
            <translation>读卡不完整</translation>
        </message>
        <message>
            <source>the card could not be read</source>
            <translation>无法读取该卡</translation>
        </message>
        <message>
            <source>the card was removed during the read</source>
            <translation>读卡过程中卡被移开</translation>
        </message>
        <message>
            <source>no card was placed</source>
            <translation>未放卡</translation>
        </message>
        <message>
            <source>code scanned ({kind}, {length} characters)</source>
            <translation>已扫码（{kind}，{length} 个字符）</translation>
        </message>
        <message>
            <source>an empty code was scanned</source>
            <translation>扫到空码</translation>
        </message>
        <message>
            <source>every tap on target (worst {worst_px} px)</source>
            <translation>每次点按均在目标内（最大偏差 {worst_px} 像素）</translation>
        </message>
        <message>
            <source>taps off target by up to {worst_px} px: calibrate the touch screen</source>
            <translation>点按偏离目标最多 {worst_px} 像素：请校准触摸屏</translation>
        </message>
        <message>
            <source>not finished</source>
            <translation>未完成</translation>
        </message>
        <message>
            <source>confirmed by the technician</source>
            <translation>技术员确认正常</translation>
        </message>
        <message>
            <source>reported faulty by the technician</source>
            <translation>技术员报告异常</translation>
        </message>
        <message>
            <source>reachable ({round_trip_ms} ms)</source>
            <translation>可连接（往返 {round_trip_ms} 毫秒）</translation>
        </message>
        <message>
            <source>unreachable ({reason})</source>
            <translation>无法连接（{reason}）</translation>
        </message>
        <message>
            <source>{offset_s} s off the backend's clock</source>
            <translation>与后台时钟相差 {offset_s} 秒</translation>
        </message>
        <message>
            <source>the backend is not reached over HTTPS</source>
            <translation>未通过 HTTPS 连接后台</translation>
        </message>
        <message>
            <source>certificate not trusted ({reason})</source>
            <translation>证书不受信任（{reason}）</translation>
        </message>
        <message>
            <source>valid, {days_left} days left</source>
            <translation>有效，剩余 {days_left} 天</translation>
        </message>
        <message>
            <source>no expiry date</source>
            <translation>无有效期</translation>
        </message>
        <message>
            <source>catalog {catalog_cursor}, {pending} events waiting, last push {last_push}</source>
            <translation>事项目录版本 {catalog_cursor}，待上传 {pending} 条，上次上传 {last_push}</translation>
        </message>
        <message>
            <source>{free_mb} MB free of {total_mb} MB</source>
            <translation>剩余 {free_mb} MB，共 {total_mb} MB</translation>
        </message>
        <message>
            <source>{available_mb} MB available, the kiosk uses {rss_mb} MB</source>
            <translation>可用 {available_mb} MB，终端程序占用 {rss_mb} MB</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>this terminal does not sync</source>
            <translation>本终端未启用同步</translation>
        </message>
        <message>
            <source>{name}: {level}</source>
            <translation>{name}：{level}</translation>
        </message>
        <message>
            <source>{line} — {detail}</source>
            <translation>{line}——{detail}</translation>
        </message>
        <message>
            <source>Guide videos</source>
            <translation>操作指引视频</translation>
        </message>
        <message>
            <source>{total} configured, none failed</source>
            <translation>已配置 {total} 个，均可播放</translation>
        </message>
        <message>
            <source>{failed} of {total} cannot be played, the slides are shown instead: {items}</source>
            <translation>{total} 个中有 {failed} 个无法播放，已改为图文指引：{items}</translation>
        </message>
    </context>
    <context>
        <name>StepGuide</name>
        <message>
            <source>Tap the kind of business you came for: social insurance, medical insurance, housing fund, real estate or general.</source>
            <translation>点击您要办理的业务类型：社保、医保、公积金、不动产或综合业务。</translation>
        </message>
        <message>
            <source>Take your queue ticket from the slip outlet and wait until your number is called to the window.</source>
            <translation>从凭条出口取走排队号票，等候叫号后到窗口办理。</translation>
        </message>
        <message>
            <source>Check the guide on the screen: materials, steps, place and hours. Then tap “Print”.</source>
            <translation>在屏幕上查看办事指南：所需材料、办理流程、地点和时间，然后点击“打印”。</translation>
        </message>
        <message>
            <source>At home, scan the QR code on the slip with your phone to read the whole guide or to apply online.</source>
            <translation>回家后用手机扫描凭条上的二维码，即可查看完整指南或在网上申请。</translation>
        </message>
        <message>
            <source>The list shows who looked up your records: when, where and how. Tap the next page to see more.</source>
            <translation>列表显示谁查询过您的记录：时间、地点和方式。点击下一页查看更多。</translation>
        </message>
        <message>
            <source>Place your ID card flat on the card reader and leave it there until it is read.</source>
            <translation>将身份证平放在读卡区，读取完成前不要移开。</translation>
        </message>
        <message>
            <source>Look straight at the camera above the screen until the face check is done.</source>
            <translation>请正视屏幕上方的摄像头，直到人脸核验完成。</translation>
        </message>
        <message>
            <source>Or open the e-credential QR code in your government services app and hold it under the scanner.</source>
            <translation>或者打开手机政务服务 App 中的电子身份凭证动态码，对准扫码口。</translation>
        </message>
        <message>
            <source>Or type your ID number on the number pad on the screen.</source>
            <translation>或者在屏幕上的数字键盘输入身份证号码。</translation>
        </message>
        <message>
            <source>Read what the terminal will look up and print, then tap “I agree, continue”.</source>
            <translation>阅读终端将要查询和打印的内容，然后点击“同意并继续”。</translation>
        </message>
        <message>
            <source>Your records appear on the screen. Tap a year or the next page to see more.</source>
            <translation>您的记录显示在屏幕上。点击年份或下一页查看更多。</translation>
        </message>
        <message>
            <source>Check the preview of what will be printed, then tap “Print”.</source>
            <translation>核对打印预览，然后点击“打印”。</translation>
        </message>
        <message>
            <source>Check the preview, then tap “Print”, or “Do not print” if you only wanted to look.</source>
            <translation>核对预览，然后点击“打印”；只想查看的，点击“不打印”。</translation>
        </message>
        <message>
            <source>Wait a moment, then take your papers from the A4 printer outlet.</source>
            <translation>稍等片刻，从 A4 打印出口取走您的材料。</translation>
        </message>
        <message>
            <source>Take your slip from the slip outlet under the screen.</source>
            <translation>从屏幕下方的凭条出口取走凭条。</translation>
        </message>
        <message>
            <source>Rate the service (好差评), then tap “Finish and leave” so that the screen is cleared.</source>
            <translation>请对本次服务进行评价（好差评），然后点击“结束并退出”，屏幕上的信息将被清除。</translation>
        </message>
        <message>
            <source>Open the e-credential QR code in your government services app and hold it under the scanner.</source>
            <translation>打开手机政务服务 App 中的电子身份凭证动态码，对准扫码口。</translation>
        </message>
        <message>
            <source>Tap your choice on the screen.</source>
            <translation>在屏幕上点击您的选择。</translation>
        </message>
    </context>
    <context>
        <name>StepGuideScreen</name>
        <message>
            <source>A video shows how to do it: {item}.</source>
            <translation>下面用视频演示如何办理：{item}。</translation>
        </message>
        <message>
            <source>How to do this: {item}</source>
            <translation>操作指引：{item}</translation>
        </message>
        <message>
            <source>Video of the steps</source>
            <translation>操作视频</translation>
        </message>
        <message>
            <source>Watch how it is done, then go back and do it.</source>
            <translation>看完视频后，返回即可开始办理。</translation>
        </message>
        <message>
            <source>Step {n} of {total}</source>
            <translation>第 {n} 步，共 {total} 步</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>Play</source>
            <translation>播放</translation>
        </message>
        <message>
            <source>Previous step</source>
            <translation>上一步</translation>
        </message>
        <message>
            <source>Next step</source>
            <translation>下一步</translation>
        </message>
        <message>
            <source>Replay from the start</source>
            <translation>从头播放</translation>
        </message>
        <message>
            <source>Back to where I was</source>
            <translation>返回继续办理</translation>
        </message>
    </context>
    <context>
        <name>PinyinBar</name>
        <message>
            <source>Type pinyin, then tap the characters you mean.</source>
            <translation>输入拼音，再点选要输入的汉字。</translation>
        </message>
        <message>
            <source>%1: no characters of the services' names match.</source>
            <translation>%1：事项名称里没有与之对应的汉字。</translation>
        </message>
        <message>
            <source>Pinyin: %1</source>
            <translation>拼音：%1</translation>
        </message>
        <message>
            <source>Previous candidates</source>
            <translation>上一页候选字</translation>
        </message>
        <message>
            <source>More candidates</source>
            <translation>下一页候选字</translation>
        </message>
    </context>
</TS>
